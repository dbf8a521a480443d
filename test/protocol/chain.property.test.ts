import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  generateGatewayKeys,
  loadPrivateKey,
  loadPublicKey,
  sealEvent,
  SEVERITIES,
  VERIFICATION_EVENT_TYPES,
  verifyChain,
  verifyEvent,
  type UnsealedEvent,
  type VerificationEvent,
} from '../../protocol/index.ts';
import { sealChain } from './chain-fixtures.ts';

const keys = generateGatewayKeys();
const privateKey = loadPrivateKey(keys.privateKeyPem);
const publicKey = loadPublicKey(keys.publicKeyPem);

const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
const draftBody = fc.record(
  {
    id: fc.uuid(),
    ts: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
    type: fc.constantFrom(...VERIFICATION_EVENT_TYPES),
    severity: fc.constantFrom(...SEVERITIES),
    lotId: id,
    zone: fc.string({ minLength: 1, maxLength: 10 }),
    evidence: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  },
  { requiredKeys: ['id', 'ts', 'type', 'severity', 'evidence'] },
);

/** 1–6 events of one gateway, sealed from genesis. */
const chains = fc.array(draftBody, { minLength: 1, maxLength: 6 }).map((bodies) => {
  const drafts: UnsealedEvent[] = bodies.map((b, i) => ({ ...b, site: 's1', gatewayId: 'gw-s1', seq: i + 1 }));
  return sealChain(drafts, privateKey);
});

const utf8 = new TextEncoder();
const lenient = new TextDecoder();

/** Where a change is made: anywhere in the canonical JSON, or specifically inside hash or sig. */
type Target = 'json' | 'hash' | 'sig';

function mutate(event: VerificationEvent, target: Target, position: number, delta: number): unknown {
  if (target === 'json') {
    const bytes = utf8.encode(canonicalJson(event));
    const p = position % bytes.length;
    bytes[p] = ((bytes[p] ?? 0) + delta) % 256;
    try {
      return JSON.parse(lenient.decode(bytes));
    } catch {
      return undefined;
    }
  }
  const text = event[target];
  const p = position % text.length;
  const code = text.charCodeAt(p);
  // Any other printable ASCII character.
  let next = 32 + ((code - 32 + delta) % 95);
  if (next === code) next = 32 + ((code - 32 + 1) % 95);
  const changed = String.fromCharCode(next);
  return { ...event, [target]: text.slice(0, p) + changed + text.slice(p + 1) };
}

describe('chain properties', () => {
  it('a sealed chain verifies, event by event and as a whole', () => {
    fc.assert(
      fc.property(chains, (chain) => {
        expect(verifyChain(chain, publicKey)).toEqual({ ok: true, count: chain.length });
        for (const e of chain) expect(verifyEvent(JSON.parse(JSON.stringify(e)), publicKey)).toEqual({ ok: true });
      }),
      { numRuns: 100 },
    );
  });

  it('changing any single byte of an event, its hash or its sig fails verification at that index', () => {
    fc.assert(
      fc.property(
        chains,
        fc.nat(),
        fc.constantFrom<Target>('json', 'json', 'hash', 'sig'),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (chain, which, target, position, delta) => {
          const index = which % chain.length;
          const original = chain[index];
          if (original === undefined) throw new Error('no event');
          const changed = mutate(original, target, position, delta);
          // A change that leaves the JSON unparseable is detected before any check runs.
          if (changed === undefined) return;
          // JSON has a few spellings of one value (e.g. 1e+21 and 1e021); those are the same event.
          fc.pre(!isDeepStrictEqual(changed, original));
          expect(verifyEvent(changed, publicKey).ok).toBe(false);
          const tampered = chain.map((e, i) => (i === index ? changed : e));
          const result = verifyChain(tampered, publicKey);
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.index).toBe(index);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('dropping, duplicating or swapping events is caught at the first affected index', () => {
    fc.assert(
      fc.property(chains.filter((c) => c.length >= 2), fc.nat(), fc.constantFrom('drop', 'duplicate', 'swap'), (chain, which, op) => {
        const index = which % (chain.length - 1);
        const edited: unknown[] = [...chain];
        if (op === 'drop') edited.splice(index, 1);
        else if (op === 'duplicate') edited.splice(index + 1, 0, chain[index]);
        else [edited[index], edited[index + 1]] = [edited[index + 1], edited[index]];
        const result = verifyChain(edited, publicKey);
        expect(result).toMatchObject({ ok: false, index: op === 'swap' || op === 'drop' ? index : index + 1, reason: 'seq' });
      }),
      { numRuns: 200 },
    );
  });

  it('an event validly signed but linked to the wrong prevHash is named', () => {
    fc.assert(
      fc.property(chains, fc.nat(), fc.stringMatching(/^[0-9a-f]{64}$/), (chain, which, wrongPrev) => {
        const index = which % chain.length;
        const original = chain[index];
        if (original === undefined) throw new Error('no event');
        fc.pre(wrongPrev !== original.prevHash);
        const { prevHash: _p, hash: _h, sig: _s, ...draft } = original;
        const relinked = sealEvent(draft, wrongPrev, privateKey);
        const result = verifyChain(chain.map((e, i) => (i === index ? relinked : e)), publicKey);
        expect(result).toMatchObject({ ok: false, index, seq: original.seq, id: original.id, reason: 'prevHash' });
      }),
      { numRuns: 200 },
    );
  });
});
