// kill -9 of the gateway's event log at random moments of heavy traffic must never lose
// an acknowledged event and never break the signed chain: after every kill the whole
// outbox, from seq 1, must verify as one chain against the gateway's key.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPublicKey } from 'node:crypto';
import { verifyChain, type VerificationEvent } from '../../../protocol/index.ts';
import { FileOutboxStore } from '../../../gateway/outbox/file-outbox-store.ts';

const WRITER = new URL('./fixtures/chain-writer.ts', import.meta.url).pathname;
const ROOT = new URL('../../../', import.meta.url).pathname;

/** Runs the writer until `killAfter` events were acknowledged, then SIGKILLs it; returns those seqs. */
function runUntilKilled(dir: string, killAfter: number): Promise<number[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const acknowledged: number[] = [];
  let buffer = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('A ')) acknowledged.push(Number(line.slice(2)));
    if (acknowledged.length >= killAfter && !child.killed) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acknowledged);
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

describe('event log under kill -9', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged event and one unbroken chain across 20 random kills', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chain-crash-'));
    dirs.push(dir);
    const acknowledged = new Set<number>();
    for (let round = 0; round < 20; round++) {
      // A random amount of traffic per round spreads the kill over appends, fsyncs,
      // segment rolls and the group-commit queue.
      for (const seq of await runUntilKilled(dir, 20 + Math.floor(Math.random() * 400))) acknowledged.add(seq);
    }
    const store = new FileOutboxStore<VerificationEvent>({ dir: join(dir, 'outbox') });
    await store.open();
    const events = (await store.peek(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)).map((s) => s.record);
    await store.close();
    expect(store.stats().corruptRecordsSkipped).toBe(0);
    const publicKey = createPublicKey(await readFile(join(dir, 'gateway-key.pem'), 'utf8'));
    expect(verifyChain(events, publicKey)).toEqual({ ok: true, count: events.length });
    const stored = new Set(events.map((e) => e.seq));
    const lost = [...acknowledged].filter((seq) => !stored.has(seq));
    expect(lost).toEqual([]);
    expect(acknowledged.size).toBeGreaterThan(20 * 20);
  }, 180_000);
});
