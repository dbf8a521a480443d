import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { KeyObject } from 'node:crypto';
import { hashEvent, type VerificationEvent, type VerifyEventResult } from '../../protocol/index.ts';
import { verifyHashSignature } from '../../protocol/chain/signature.ts';

/** Hash and signature of each event of a batch, in order. */
export interface SealVerifier {
  check(events: readonly VerificationEvent[], key: { pem: string; object: KeyObject }): Promise<VerifyEventResult[]>;
  close(): Promise<void>;
}

// The worker repeats protocol/chain/signature.ts's verifyHashSignature in plain
// JavaScript (a worker cannot load TypeScript under every runner); the canonical-base64
// check stays on the main thread, so the worker only runs Ed25519.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createPublicKey, verify } = require('node:crypto');
const keys = new Map();
parentPort.on('message', ({ id, pem, hashes, sigs }) => {
  let key = keys.get(pem);
  if (key === undefined) {
    if (keys.size > 256) keys.clear();
    key = createPublicKey(pem);
    keys.set(pem, key);
  }
  const ok = new Uint8Array(hashes.length);
  for (let i = 0; i < hashes.length; i++) {
    try { ok[i] = verify(null, Buffer.from(hashes[i], 'utf8'), key, Buffer.from(sigs[i], 'base64')) ? 1 : 0; } catch { ok[i] = 0; }
  }
  parentPort.postMessage({ id, ok }, [ok.buffer]);
});
`;

const SIG_SHAPE = /^[A-Za-z0-9+/]{86}==$/;

interface Pending {
  resolve(ok: Uint8Array): void;
  reject(error: Error): void;
}

/**
 * Ed25519 verification is most of ingestion's CPU (about 130 µs an event on the
 * development machine, against 10 µs for canonical JSON and SHA-256), so batches are
 * spread over worker threads and the main thread keeps parsing and talking to the
 * database meanwhile. Small batches are checked inline: a round trip costs more.
 */
export function createSealVerifier(options: { threads?: number; inlineBelow?: number } = {}): SealVerifier {
  const threads = options.threads ?? Math.max(1, availableParallelism() - 1);
  const inlineBelow = options.inlineBelow ?? 64;
  const workers: Worker[] = [];
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let turn = 0;

  const worker = (): Worker => {
    if (workers.length < threads) {
      const w = new Worker(WORKER_SOURCE, { eval: true });
      // Idle workers must not keep a finished process alive.
      w.unref();
      w.on('message', ({ id, ok }: { id: number; ok: Uint8Array }) => {
        pending.get(id)?.resolve(ok);
        pending.delete(id);
      });
      w.on('error', (error) => {
        for (const [id, p] of pending) {
          p.reject(error);
          pending.delete(id);
        }
      });
      workers.push(w);
      return w;
    }
    turn = (turn + 1) % workers.length;
    return workers[turn] as Worker;
  };

  const verifyRemote = (pem: string, hashes: string[], sigs: string[]): Promise<Uint8Array> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker().postMessage({ id, pem, hashes, sigs });
    });

  return {
    async check(events, key) {
      const results: VerifyEventResult[] = new Array(events.length);
      const toSign: number[] = [];
      events.forEach((event, i) => {
        let expected: string;
        try {
          expected = hashEvent(event);
        } catch (error) {
          results[i] = { ok: false, reason: 'schema', message: error instanceof Error ? error.message : String(error) };
          return;
        }
        if (expected !== event.hash) results[i] = { ok: false, reason: 'hash', message: `hash ${event.hash} does not match the event's content (${expected})` };
        // Only the canonical base64 spelling counts (signature.ts): any change to sig is seen.
        else if (!SIG_SHAPE.test(event.sig) || Buffer.from(event.sig, 'base64').toString('base64') !== event.sig) results[i] = badSignature;
        else toSign.push(i);
      });
      if (threads === 0 || toSign.length < inlineBelow) {
        for (const i of toSign) {
          const event = events[i] as VerificationEvent;
          results[i] = verifyHashSignature(event.hash, event.sig, key.object) ? ok : badSignature;
        }
        return results;
      }
      const share = Math.ceil(toSign.length / threads);
      const chunks: number[][] = [];
      for (let start = 0; start < toSign.length; start += share) chunks.push(toSign.slice(start, start + share));
      const verdicts = await Promise.all(
        chunks.map((chunk) => verifyRemote(key.pem, chunk.map((i) => (events[i] as VerificationEvent).hash), chunk.map((i) => (events[i] as VerificationEvent).sig))),
      );
      chunks.forEach((chunk, c) => chunk.forEach((i, j) => (results[i] = verdicts[c]?.[j] === 1 ? ok : badSignature)));
      return results;
    },
    async close() {
      await Promise.all(workers.splice(0).map((w) => w.terminate()));
    },
  };
}

const ok: VerifyEventResult = { ok: true };
const badSignature: VerifyEventResult = { ok: false, reason: 'signature', message: 'sig is not a valid Ed25519 signature of hash by this key' };
