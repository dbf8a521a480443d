import { TAMPER_SIGNALS } from './evidence.ts';
import type { FusionRule } from './fusion-rule.ts';

// The README's rule table is this list; test/gateway/fusion/rules-documented.test.ts keeps them together.

const GOODS_GONE = ['missing', 'moved'] as const;
const HEAVY_WORK = ['engine', 'cutting'] as const;
const DEVICE_DARK = ['reader-offline', 'camera-offline', 'microphone-offline', 'sensor-offline'] as const;

export const DEFAULT_FUSION_RULES: readonly FusionRule[] = [
  {
    id: 'tags-gone-and-camera-change',
    description: 'Tags missing or carried off, and the camera sees the goods changed',
    when: { rfid: GOODS_GONE, video: 'change' },
    then: 'breached',
    holdUntilCleared: true,
  },
  {
    id: 'tags-gone-while-camera-blinded',
    description: 'Tags missing or carried off while the camera watching the lot is blinded',
    when: { rfid: GOODS_GONE, video: TAMPER_SIGNALS },
    then: 'breached',
    holdUntilCleared: true,
  },
  {
    id: 'tags-gone-with-heavy-sound-at-night',
    description: 'Tags missing or carried off, with engine or cutting sound, at night',
    when: { rfid: GOODS_GONE, audio: HEAVY_WORK, atNight: true },
    then: 'breached',
    holdUntilCleared: true,
  },
  {
    id: 'tags-gone-and-weight-off',
    description: "Tags missing or carried off, and the bay's scale shows an unexplained weight drop",
    when: { rfid: GOODS_GONE, sensors: 'weight' },
    then: 'breached',
    holdUntilCleared: true,
  },
  {
    id: 'camera-change-and-weight-off',
    description: "The camera sees the goods changed and the bay's scale shows an unexplained weight drop (tags may have been left behind)",
    when: { video: 'change', sensors: 'weight' },
    then: 'breached',
    holdUntilCleared: true,
  },
  {
    id: 'tags-missing',
    description: 'Tags of the lot are missing from its zone',
    when: { rfid: 'missing' },
    then: 'suspect',
  },
  {
    id: 'tags-moved-unauthorised',
    description: 'Tags of the lot were seen at a door or in another zone without a release order',
    when: { rfid: 'moved' },
    then: 'suspect',
  },
  {
    id: 'camera-change',
    description: "The camera sees the lot's goods changed against the reference (RFID may still read them: substitution)",
    when: { video: 'change' },
    then: 'suspect',
  },
  {
    id: 'weight-off',
    description: "The bay's scale shows an unexplained weight drop (RFID may still read the tags: substitution, or tags left behind)",
    when: { sensors: 'weight' },
    then: 'suspect',
  },
  {
    id: 'camera-blinded',
    description: 'The camera watching the lot is covered, blurred, moved or frozen',
    when: { video: TAMPER_SIGNALS },
    then: 'degraded',
  },
  {
    id: 'device-offline',
    description: 'A reader, camera, microphone or sensor covering the lot is offline',
    when: { devices: DEVICE_DARK },
    then: 'degraded',
  },
  {
    id: 'climate-off',
    description: 'Another sensor of the zone (temperature, humidity, …) reads out of range',
    when: { sensors: 'any' },
    then: 'degraded',
  },
];
