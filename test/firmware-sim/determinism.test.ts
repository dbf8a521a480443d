import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSimulation, deliveredMessages } from '../../firmware-sim/index.ts';
import { siteS1 } from './helpers.ts';

/** A digest of everything a run put on the wire, in order: topics, flags, properties, bytes. */
async function runDigest(seed: number): Promise<{ digest: string; messages: number; channels: Set<string> }> {
  const sim = createSimulation({ siteConfig: siteS1(), scenario: 'night-theft', seed, devices: { camera: { frameMs: 20_000 } } });
  const hash = createHash('sha256');
  let messages = 0;
  const channels = new Set<string>();
  for (let i = 0; i < 4; i += 1) {
    for (const m of deliveredMessages(await sim.advanceBy(15_000))) {
      hash.update(`${m.topic}|${m.qos}|${m.retain}|${m.simTs}|${JSON.stringify(m.userProperties ?? {})}|`);
      hash.update(m.payload);
      messages += 1;
      channels.add(m.channel);
    }
  }
  for (const g of sim.groundTruth()) hash.update(JSON.stringify(g));
  return { digest: hash.digest('hex'), messages, channels };
}

describe('determinism', () => {
  it('gives byte-identical messages for the same seed and different ones for another', async () => {
    const [a, b, c] = await Promise.all([runDigest(11), runDigest(11), runDigest(12)]);
    expect(a.channels).toEqual(new Set(['status', 'rfid', 'camera', 'audio', 'sensor']));
    expect(a.messages).toBeGreaterThan(100);
    expect(b.digest).toBe(a.digest);
    expect(c.digest).not.toBe(a.digest);
  });
});
