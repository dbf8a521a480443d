import { describe, expect, it } from 'vitest';
import { mediaLinks } from '../../../cloud/alerts/special-monitoring-rules.ts';

describe("a case's evidence from an event's attachments", () => {
  it('links crops and clips by hash, as the dashboard shows them inline', () => {
    const crop = 'a'.repeat(64);
    const clip = 'b'.repeat(64);
    expect(
      mediaLinks({
        attachments: [
          { sha256: crop, bytes: 10, mediaType: 'image/jpeg' },
          { sha256: clip, bytes: 20, mediaType: 'audio/wav' },
          { sha256: 'not-a-hash', bytes: 1, mediaType: 'image/png' },
        ],
      }),
    ).toEqual([
      { kind: 'camera_crop', ref: `sha256:${crop}` },
      { kind: 'audio_clip', ref: `sha256:${clip}` },
    ]);
  });
});
