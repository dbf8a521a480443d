import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  generateGatewayKeys,
  GENESIS_HASH,
  hashEvent,
  loadPrivateKey,
  loadPublicKey,
  ProtocolError,
  sealEvent,
  sha256Hex,
  signHash,
  verifyChain,
  verifyEvent,
  type VerificationEvent,
} from '../../protocol/index.ts';
import { draft, sealChain } from './chain-fixtures.ts';

const keys = generateGatewayKeys();
const privateKey = loadPrivateKey(keys.privateKeyPem);
const publicKey = loadPublicKey(keys.publicKeyPem);
const other = generateGatewayKeys();
const otherPrivate = loadPrivateKey(other.privateKeyPem);

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return err instanceof ProtocolError ? err.code : `unexpected ${String(err)}`;
  }
  return 'no error';
}

describe('canonical JSON and hashing', () => {
  it('follows RFC 8785: sorted keys, no whitespace, ES number form', () => {
    expect(canonicalJson({ b: [1, 2.5, 1e21, -0], a: { d: 'é\n', c: null }, é: true })).toBe(
      '{"a":{"c":null,"d":"é\\n"},"b":[1,2.5,1e+21,0],"é":true}',
    );
  });

  it('refuses values with no canonical form', () => {
    expect(codeOf(() => canonicalJson({ x: Number.NaN }))).toBe('bad_payload');
    expect(codeOf(() => canonicalJson({ x: Number.POSITIVE_INFINITY }))).toBe('bad_payload');
    expect(codeOf(() => canonicalJson('\uD800'))).toBe('bad_payload');
    expect(codeOf(() => canonicalJson(undefined))).toBe('bad_payload');
  });

  it('sha256Hex hashes UTF-8', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(new TextEncoder().encode('é'))).toBe(sha256Hex('é'));
  });

  it('hashEvent covers everything but hash and sig, including prevHash, whatever the key order', () => {
    const [e] = sealChain([draft(1)], privateKey);
    if (e === undefined) throw new Error('no event');
    const { hash, sig, ...rest } = e;
    const expected = createHash('sha256').update(canonicalJson(rest), 'utf8').digest('hex');
    expect(hash).toBe(expected);
    expect(hashEvent(rest)).toBe(expected);
    expect(hashEvent(e)).toBe(expected);
    const reversed = Object.fromEntries(Object.entries(rest).reverse()) as typeof rest;
    expect(hashEvent(reversed)).toBe(expected);
    expect(hashEvent({ ...rest, prevHash: 'f'.repeat(64) })).not.toBe(expected);
    expect(sig).toMatch(/^[A-Za-z0-9+/]{86}==$/);
  });

  it('signs the UTF-8 bytes of the hex hash with Ed25519', () => {
    const hash = sha256Hex('x');
    const sig = signHash(hash, privateKey);
    expect(verify(null, Buffer.from(hash, 'utf8'), publicKey, Buffer.from(sig, 'base64'))).toBe(true);
    expect(signHash(hash, privateKey)).toBe(sig);
  });
});

describe('keys', () => {
  it('generates SPKI and PKCS#8 PEM', () => {
    expect(keys.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(keys.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(publicKey.asymmetricKeyType).toBe('ed25519');
  });

  it('refuses unreadable PEM and keys that are not Ed25519', () => {
    expect(codeOf(() => loadPublicKey('not a key'))).toBe('bad_key');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(codeOf(() => loadPublicKey(rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString()))).toBe('bad_key');
    expect(codeOf(() => signHash(GENESIS_HASH, rsa.privateKey))).toBe('bad_key');
  });
});

describe('sealEvent', () => {
  it('links to prevHash and produces a contract-valid, verifiable event', () => {
    const e = sealEvent(draft(1), GENESIS_HASH, privateKey);
    expect(e.prevHash).toBe(GENESIS_HASH);
    expect(e.hash).toBe(hashEvent(e));
    expect(verifyEvent(e, publicKey)).toEqual({ ok: true });
  });

  it('hashes what a receiver will parse', () => {
    const withUndefined = { ...draft(1), zone: undefined };
    const e = sealEvent(withUndefined, GENESIS_HASH, privateKey);
    expect('zone' in e).toBe(false);
    expect(verifyEvent(JSON.parse(JSON.stringify(e)), publicKey)).toEqual({ ok: true });
  });

  it('refuses events outside the contract', () => {
    expect(codeOf(() => sealEvent(draft(1), 'abc', privateKey))).toBe('bad_payload');
    expect(codeOf(() => sealEvent({ ...draft(1), seq: 0 }, GENESIS_HASH, privateKey))).toBe('bad_payload');
    expect(codeOf(() => sealEvent({ ...draft(1), evidence: { x: Number.NaN } }, GENESIS_HASH, privateKey))).toBe('bad_payload');
    expect(codeOf(() => sealEvent({ ...draft(1), extra: 1 } as never, GENESIS_HASH, privateKey))).toBe('bad_payload');
  });
});

describe('verifyEvent', () => {
  const [e] = sealChain([draft(1)], privateKey);
  if (e === undefined) throw new Error('no event');

  it('names why an event fails', () => {
    expect(verifyEvent({ ...e, evidence: {} }, publicKey)).toMatchObject({ ok: false, reason: 'hash' });
    expect(verifyEvent({ ...e, sig: signHash(e.hash, otherPrivate) }, publicKey)).toMatchObject({ ok: false, reason: 'signature' });
    expect(verifyEvent(e, loadPublicKey(other.publicKeyPem))).toMatchObject({ ok: false, reason: 'signature' });
    expect(verifyEvent({ ...e, severity: 'fatal' }, publicKey)).toMatchObject({ ok: false, reason: 'schema' });
    expect(verifyEvent(null, publicKey)).toMatchObject({ ok: false, reason: 'schema' });
  });

  it('refuses a non-canonical base64 spelling of a valid signature', () => {
    // The last character before "==" carries 2 data bits and 4 padding bits; flipping a padding bit keeps the bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const last = e.sig[85] ?? 'A';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1] ?? 'A';
    const respelled = `${e.sig.slice(0, 85)}${sibling}==`;
    expect(Buffer.from(respelled, 'base64').equals(Buffer.from(e.sig, 'base64'))).toBe(true);
    expect(verifyEvent({ ...e, sig: respelled }, publicKey)).toMatchObject({ ok: false, reason: 'signature' });
  });
});

describe('verifyChain', () => {
  const chain = sealChain([1, 2, 3, 4, 5].map((s) => draft(s)), privateKey);
  const at = (i: number): VerificationEvent => {
    const e = chain[i];
    if (e === undefined) throw new Error(`no event ${i}`);
    return e;
  };

  it('accepts a sealed chain from genesis, and an empty one', () => {
    expect(verifyChain(chain, publicKey)).toEqual({ ok: true, count: 5 });
    expect(verifyChain([], publicKey)).toEqual({ ok: true, count: 0 });
  });

  it('verifies a later batch from an anchor', () => {
    expect(verifyChain(chain.slice(2), publicKey, { prevHash: at(1).hash, seq: at(1).seq })).toEqual({ ok: true, count: 3 });
    expect(verifyChain(chain.slice(2), publicKey)).toMatchObject({ ok: false, index: 0, reason: 'seq' });
  });

  it('detects a gap in seq', () => {
    const gapped = [at(0), at(1), at(3), at(4)];
    expect(verifyChain(gapped, publicKey)).toEqual({
      ok: false,
      index: 2,
      seq: 4,
      id: at(3).id,
      reason: 'seq',
      message: 'seq 4 follows 2; expected 3',
    });
  });

  it('detects a wrong prevHash even when the event itself is validly signed', () => {
    const forked = sealEvent(draft(3), 'f'.repeat(64), privateKey);
    expect(verifyEvent(forked, publicKey)).toEqual({ ok: true });
    expect(verifyChain([at(0), at(1), forked, at(3)], publicKey)).toMatchObject({ ok: false, index: 2, seq: 3, reason: 'prevHash' });
  });

  it('detects a chain that does not start at genesis', () => {
    const firstElsewhere = sealEvent(draft(1), 'e'.repeat(64), privateKey);
    expect(verifyChain([firstElsewhere], publicKey)).toMatchObject({ ok: false, index: 0, reason: 'prevHash' });
  });

  it('detects tampering, forged signatures and malformed events', () => {
    expect(verifyChain([at(0), { ...at(1), zone: 'B' }, at(2)], publicKey)).toMatchObject({ ok: false, index: 1, reason: 'hash' });
    const forged = { ...at(2), sig: signHash(at(2).hash, otherPrivate) };
    expect(verifyChain([at(0), at(1), forged], publicKey)).toMatchObject({ ok: false, index: 2, reason: 'signature' });
    expect(verifyChain([at(0), { seq: 2 }], publicKey)).toMatchObject({ ok: false, index: 1, seq: 2, id: '', reason: 'schema' });
    expect(verifyChain([at(0), 'x'], publicKey)).toMatchObject({ ok: false, index: 1, seq: -1, id: '', reason: 'schema' });
  });

  it('detects reordering and duplication', () => {
    expect(verifyChain([at(0), at(2), at(1)], publicKey)).toMatchObject({ ok: false, index: 1, reason: 'seq' });
    expect(verifyChain([at(0), at(1), at(1)], publicKey)).toMatchObject({ ok: false, index: 2, reason: 'seq' });
  });
});
