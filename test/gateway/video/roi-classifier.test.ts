import { describe, expect, it } from 'vitest';
import { loadRoiClassifier } from '../../../gateway/video/classifier/roi-classifier.ts';
import { renderRoiSamples } from '../../../training/vision/render-roi-samples.ts';
import { INPUT_HEIGHT, INPUT_WIDTH } from '../../../gateway/video/classifier/roi-input.ts';

describe('ROI classifier (committed weights)', () => {
  it('labels freshly rendered bays (a seed it was neither trained nor scored on) mostly right', async () => {
    const classifier = await loadRoiClassifier();
    const samples = await renderRoiSamples(6, 7);
    let right = 0;
    for (const s of samples) {
      // The samples are already the network's input; a 32 × 24 "ROI" of it passes through unchanged in shape.
      const { label, confidence } = classifier.classify(s.input, INPUT_WIDTH, INPUT_HEIGHT);
      expect(confidence).toBeGreaterThan(0);
      expect(confidence).toBeLessThanOrEqual(1);
      if (label === s.label) right += 1;
    }
    // Four labels: chance is 25 %.
    expect(right / samples.length).toBeGreaterThanOrEqual(0.6);
  }, 60_000);
});
