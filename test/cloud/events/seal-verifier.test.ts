import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, generateGatewayKeys, loadPrivateKey, loadPublicKey, sealEvent, verifyEvent, type VerificationEvent } from '../../../protocol/index.ts';
import { createSealVerifier } from '../../../cloud/events/seal-verifier.ts';

const keys = generateGatewayKeys();
const other = generateGatewayKeys();

function chain(count: number): VerificationEvent[] {
  const key = loadPrivateKey(keys.privateKeyPem);
  let prev = GENESIS_HASH;
  return Array.from({ length: count }, (_, i) => {
    const e = sealEvent({ id: randomUUID(), site: 's1', gatewayId: 'gw', seq: i + 1, ts: '2026-01-01T00:00:00.000Z', type: 'device.online', severity: 'info', evidence: { n: i } }, prev, key);
    prev = e.hash;
    return e;
  });
}

describe('seal verifier (worker threads)', () => {
  const verifier = createSealVerifier({ threads: 2, inlineBelow: 8 });
  afterAll(() => verifier.close());
  const key = { pem: keys.publicKeyPem, object: loadPublicKey(keys.publicKeyPem) };

  it('agrees with verifyEvent on every event of a large batch, forgeries included', async () => {
    const events = chain(300);
    const foreignSig = sealEvent({ ...events[10], id: randomUUID() } as VerificationEvent, events[9]?.hash ?? '', loadPrivateKey(other.privateKeyPem));
    const tampered: VerificationEvent[] = events.map((e, i) => {
      if (i === 5) return { ...e, sig: Buffer.alloc(64, 1).toString('base64') };
      if (i === 6) return { ...e, evidence: { n: -1 } };
      // Same signature bytes, another base64 spelling (spare low bits set).
      if (i === 7) return { ...e, sig: `${e.sig.slice(0, 85)}${e.sig[85] === 'A' ? 'B' : 'A'}==` };
      if (i === 10) return foreignSig;
      return e;
    });
    const results = await verifier.check(tampered, key);
    const expected = tampered.map((e) => verifyEvent(e, key.object));
    expect(results.map((r) => r.ok)).toEqual(expected.map((r) => r.ok));
    expect(results.filter((r) => !r.ok).length).toBe(4);
    expect(results[6]).toMatchObject({ ok: false, reason: 'hash' });
    expect(results[5]).toMatchObject({ ok: false, reason: 'signature' });
  });

  it('checks small batches inline with the same answers', async () => {
    const events = chain(3);
    const bad = { ...events[1], sig: Buffer.alloc(64, 2).toString('base64') } as VerificationEvent;
    expect((await verifier.check([events[0] as VerificationEvent, bad], key)).map((r) => r.ok)).toEqual([true, false]);
  });
});
