/** The classifier's outputs, in the order of its last layer. `ambient` is room tone: nothing happening. */
export const AUDIO_CLASSES = ['ambient', 'engine', 'cutting', 'alarm', 'voices', 'impact'] as const;
export type AudioClass = (typeof AUDIO_CLASSES)[number];
