import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, generateGatewayKeys, loadPrivateKey, sealEvent, type VerificationEvent } from '../../../protocol/index.ts';
import { createLogger } from '../../../infra/logger.ts';
import { MemoryOutboxStore, createSender, type Sender } from '../../../gateway/outbox/index.ts';
import { createCloudClient } from '../../../gateway/uplink/cloud-client.ts';
import { createCloudDeliver } from '../../../gateway/uplink/deliver-to-cloud.ts';
import { createQuarantineHooks } from '../../../gateway/uplink/quarantine-file.ts';
import { ManualTimers } from '../outbox/support/manual-timers.ts';

const keys = generateGatewayKeys();

function chain(count: number, poisonSeqs: ReadonlySet<number>): VerificationEvent[] {
  const key = loadPrivateKey(keys.privateKeyPem);
  const events: VerificationEvent[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const evidence = poisonSeqs.has(seq) ? { poison: true } : { device: 's1/rfid/rd-a', reason: 'status' };
    const event = sealEvent({ id: randomUUID(), site: 's1', gatewayId: 'gw-1', seq, ts: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(), type: 'device.online', severity: 'info', evidence }, prev, key);
    events.push(event);
    prev = event.hash;
  }
  return events;
}

/** The cloud's HTTP face at the fetch boundary: a batch holding a poisoned event is a 400, as the real cloud answers malformed input. */
function cloudFetch(stored: number[]): typeof fetch {
  return (async (url: string | URL | Request, init?: RequestInit) => {
    if (String(url).endsWith('/key')) return new Response(JSON.stringify({ status: 'registered' }), { status: 200 });
    const { events } = JSON.parse(String(init?.body)) as { events: VerificationEvent[] };
    if (events.some((e) => e.evidence.poison === true)) {
      return new Response(JSON.stringify({ statusCode: 400, error: 'Bad Request', message: 'body/events/0/evidence is malformed' }), { status: 400 });
    }
    stored.push(...events.map((e) => e.seq));
    const last = events.at(-1) as VerificationEvent;
    return new Response(JSON.stringify({ accepted: events.length, duplicates: 0, rejected: [], anomalies: [], head: { seq: last.seq, hash: last.hash }, invalidEvidence: [] }), { status: 200 });
  }) as typeof fetch;
}

describe('a batch the cloud refuses as malformed', () => {
  let dir: string | undefined;
  let sender: Sender | undefined;
  afterEach(async () => {
    await sender?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is split until the poisoned events stand alone; they are quarantined on disk and the rest delivered', async () => {
    dir = await mkdtemp(join(tmpdir(), 'wrm-quarantine-'));
    const file = join(dir, 'quarantine.jsonl');
    const log = createLogger('poison-test');
    const store = new MemoryOutboxStore<VerificationEvent>();
    await store.open();
    const events = chain(40, new Set([7, 31]));
    await store.append(events);
    const stored: number[] = [];
    const cloud = createCloudClient({ baseUrl: 'http://cloud.test', gatewayId: 'gw-1', token: 't', fetchImpl: cloudFetch(stored) });
    const deadLettered: number[] = [];
    sender = createSender({
      store,
      deliver: createCloudDeliver({ cloud, publicKeyPem: keys.publicKeyPem, log }),
      batchSize: 25,
      maxBatchBytes: 4 * 1024 * 1024,
      backoff: { initialMs: 500, maxMs: 60_000 },
      // Time stands still: a sender that backs off instead of quarantining never finishes.
      timers: new ManualTimers(),
      hooks: [createQuarantineHooks({ file, log }), { onDeadLettered: ({ records }) => deadLettered.push(...records.map((r) => r.seq)) }],
    });
    sender.start();
    const outcome = await Promise.race([sender.flush().then(() => 'flushed'), new Promise((resolve) => setTimeout(() => resolve('stuck retrying'), 3_000))]);
    expect(outcome).toBe('flushed');
    expect(deadLettered).toEqual([7, 31]);
    expect(stored).toEqual(events.map((e) => e.seq).filter((seq) => seq !== 7 && seq !== 31));
    expect(store.stats()).toMatchObject({ pending: 0, lastAckedSeq: 40 });
    const lines = (await readFile(file, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { reason: string; event: VerificationEvent });
    expect(lines.map((l) => l.event)).toEqual([events[6], events[30]]);
    expect(lines[0]?.reason).toContain('HTTP 400');
  });
});
