// kill -9 at random moments must never lose an acknowledged record, corrupt the
// store or leave a gap. A child process appends heavily and prints what was
// acknowledged; the test kills it, reopens the directory and checks.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CorruptionReport, Severity } from '../../../gateway/outbox/types.ts';
import { seededRandom } from './support/fake-cloud.ts';
import { range } from './support/file-store.ts';
import { FileOutboxStore } from '../../../gateway/outbox/file-outbox-store.ts';
import { makeTempDir } from './support/temp-dir.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WRITER = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));
const ROUNDS = 20;

interface RoundLog {
  readonly firstSeq: number | null;
  readonly appended: number[];
  readonly maxDelivered: number;
  readonly signal: NodeJS.Signals | null;
  readonly corruption: string[];
  readonly stderr: string;
}

/**
 * Runs the writer until it has acknowledged `killAfter` records, then SIGKILLs it
 * `delayMs` later. Killing on the line itself would always hit the writer just
 * after an fsync returned; the delay (the one timer in this test, and the point of
 * it) spreads kills over writes, fsyncs, segment rolls and cursor renames.
 */
function runWriter(dir: string, killAfter: number, delayMs: number): Promise<RoundLog> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const appended: number[] = [];
  const corruption: string[] = [];
  let firstSeq: number | null = null;
  let maxDelivered = -1;
  let stderr = '';
  let killScheduled = false;
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const [kind, rest] = [line.slice(0, 1), line.slice(2)];
    if (kind === 'A') appended.push(Number(rest));
    else if (kind === 'D') maxDelivered = Math.max(maxDelivered, Number(rest));
    else if (kind === 'R') firstSeq = Number(rest);
    else if (kind === 'C') corruption.push(rest);
    if (appended.length >= killAfter && !killScheduled) {
      killScheduled = true;
      setTimeout(() => child.kill('SIGKILL'), delayMs);
    }
  });
  return new Promise((resolve) => {
    child.on('close', (_code, signal) => resolve({ firstSeq, appended, maxDelivered, signal, corruption, stderr }));
  });
}

interface CrashEvent {
  readonly id: string;
  readonly seq: number;
  readonly severity: Severity;
  readonly echo: string;
}

describe('crash safety', () => {
  it(`keeps every acknowledged record through ${ROUNDS} kill -9s`, async () => {
    const seed = Date.now() % 1_000_000;
    const random = seededRandom(seed);
    const temp = await makeTempDir('outbox-crash-');
    let expectedFirst = 0;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const killAfter = 1 + Math.floor(random() * 2_000);
        const delayMs = random() * 20;
        const log = await runWriter(temp.dir, killAfter, delayMs);
        const context = `seed ${seed}, round ${round}, kill ${delayMs.toFixed(1)} ms after ${killAfter}: ${log.stderr}`;
        expect(log.signal, context).toBe('SIGKILL');
        expect(log.corruption, context).toEqual([]);
        expect(log.firstSeq, context).toBe(expectedFirst);

        const reports: CorruptionReport[] = [];
        const store = new FileOutboxStore<CrashEvent>({ dir: temp.dir, onCorruption: (report) => reports.push(report) });
        await store.open();
        const stats = store.stats();
        const pending = await store.peek(10_000_000, Number.MAX_SAFE_INTEGER);
        const newest = await store.lastRecord();
        await store.close();

        expect(reports, context).toEqual([]);
        expect(stats.corruptRecordsSkipped, context).toBe(0);
        const lastAppended = stats.lastAppendedSeq ?? -1;
        const lastAcked = stats.lastAckedSeq ?? -1;
        // Every acknowledged append is on disk; everything after the cursor is
        // there, in order, without a gap, and intact.
        expect(Math.max(-1, ...log.appended), context).toBeLessThanOrEqual(lastAppended);
        expect(log.maxDelivered, context).toBeLessThanOrEqual(lastAcked);
        expect(pending.map(({ record }) => record.seq), context).toEqual(range(lastAcked + 1, lastAppended));
        for (const { record } of pending) expect(record.echo, context).toBe(`e${record.seq}`);
        // The chain can resume: the newest record survives even when it was delivered.
        if (lastAppended >= 0) expect(newest?.seq, context).toBe(lastAppended);
        expectedFirst = lastAppended + 1;
      }
      expect(expectedFirst).toBeGreaterThan(ROUNDS);
    } finally {
      await temp.remove();
    }
  }, 90_000);
});
