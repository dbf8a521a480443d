// Reader-to-case latency (issue 8): `npx tsx bench/reader-to-case/latency.bench.ts`.
//
// The whole chain on real connections: a simulated Impinj reader publishes inventory
// rounds over MQTT; the gateway (default tick, event log with fsync, outbox, uplink)
// smooths and reconciles them against the manifest it pulled from the cloud; the cloud
// verifies the signed batch and opens a case; the lender's live stream (SSE) shows it.
// For each trial one lot loses three tags (the reader stops reporting them), and the
// bench times, per lot, from the first inventory report published after the gateway's
// grace expired (the report that completes the evidence: the tags are still not there)
// to the `case.opened` frame on the lender's stream.
//
// Cycle and grace are shortened (1 s / 10 s instead of 10 s / 5 min) so trials take
// seconds; they decide when the evidence is complete, not how fast the system then
// reacts, which is what is measured. Everything else is the gateway's default.
// Trials overlap (a new lot every 700 ms) so the chain carries concurrent work.
// Embedded broker and PGlite unless MQTT_URL / DATABASE_URL are set; BENCH_SCALE=small
// runs 6 trials instead of 60. Target: p99 under 2 s. Last line: JSON summary.
import mqtt from 'mqtt';
import { encodeSgtin96, topics, type StockedLot, type VerificationEvent } from '../../protocol/index.ts';
import { seedDemoCollateral } from '../../demo/demo-collateral.ts';
import type { CaseView } from '../../cloud/alerts/case-views.ts';
import type { LotListItem } from '../../gateway/api/lot-list.ts';
import { DEMO_TENANTS, seedIdentity } from '../../demo/seed-identity.ts';
import { startTestStack, type TestStack } from '../../test/support/test-stack.ts';
import { openSse } from '../../test/support/sse-client.ts';
import { benchScale } from '../bench-scale.ts';

const READER = 'rd-a';
const ROUND_MS = 250;
const TAGS_PER_LOT = 10;
const REMOVED_PER_TRIAL = 3;
const TRIAL_SPACING_MS = 700;
const PASSWORD = 'bench-password';
const TARGET_P99_MS = 2_000;

const siteYaml = (site: string) => `
site: ${site}
timezone: UTC
zones:
  - id: bay-a
    kind: storage
    readers: [{ reader: ${READER}, antennas: [1, 2, 3, 4] }]
`;

function lots(count: number): StockedLot[] {
  return Array.from({ length: count }, (_, i) => ({
    lotId: `LOT-${String(i + 1).padStart(3, '0')}`,
    zone: 'bay-a',
    commodity: 'coffee',
    quantity: '1000',
    unit: 'kg',
    epcs: Array.from({ length: TAGS_PER_LOT }, (_, j) => encodeSgtin96({ companyPrefix: '0614141', itemReference: '812345', serial: i * 1_000 + j + 1, filter: 1 })),
  }));
}

/** One Impinj IoT-interface inventory round, NDJSON, every tag still on the shelf. */
function impinjRound(epcs: Iterable<string>, now: Date): string {
  const lines: string[] = [];
  let antenna = 0;
  for (const epc of epcs) {
    antenna = (antenna % 4) + 1;
    lines.push(
      JSON.stringify({
        timestamp: now.toISOString(),
        hostname: 'impinj-bench',
        eventType: 'tagInventory',
        tagInventoryEvent: { epc: Buffer.from(epc, 'hex').toString('base64'), antennaPort: antenna, peakRssiCdbm: -5500 - antenna * 100 },
      }),
    );
  }
  return lines.join('\n');
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

async function main(): Promise<void> {
  const trials = Math.max(6, Math.round(60 * Math.min(1, benchScale() * 10)));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const stack: TestStack = await startTestStack(siteYaml, {
    gateway: { rfid: { cycleMs: 1_000, graceMs: 10_000, maxGraceMs: 10_000 }, manifestPollMs: 250 },
  });
  const site = stack.gateway.site;
  const all = lots(trials);
  await seedIdentity(stack.db, { site, gatewayId: stack.gatewayId, gatewayToken: stack.gatewayToken, password: PASSWORD });
  await seedDemoCollateral(stack.db, { site: site.site, operatorTenantId: DEMO_TENANTS.operator.id, bankTenantId: DEMO_TENANTS.bank.id, lots: all, bus: stack.bus });
  const login = await fetch(`${stack.cloud.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'lender@bank.demo', password: PASSWORD }),
  });
  const { token } = (await login.json()) as { token: string };
  const live = await openSse(`${stack.cloud.url}/api/v1/live`, { authorization: `Bearer ${token}` });
  await live.next((e) => e.event === 'ready');

  // When each tags.missing event was decided, from the gateway's local event topic.
  const missingAt = new Map<string, number>();
  const watcher = await mqtt.connectAsync(stack.broker.url, { ...stack.mqttLogin('observer'), protocolVersion: 4 });
  watcher.on('message', (_topic, payload) => {
    const event = JSON.parse(payload.toString()) as VerificationEvent;
    if (event.type === 'tags.missing' && event.lotId && !missingAt.has(event.lotId)) missingAt.set(event.lotId, Date.parse(event.ts));
  });
  await watcher.subscribeAsync(topics.gatewayEvents(site.site), { qos: 1 });

  // The reader: one round every ROUND_MS of every tag still present; publish times kept.
  const reader = await mqtt.connectAsync(stack.broker.url, { ...stack.mqttLogin(READER), protocolVersion: 4 });
  const present = new Set(all.flatMap((l) => l.epcs));
  const published: number[] = [];
  const publishRound = () => {
    const now = new Date();
    published.push(Date.now());
    reader.publish(topics.rfidEvents(site.site, READER), impinjRound(present, now), { qos: 1 });
  };
  publishRound();
  const rounds = setInterval(publishRound, ROUND_MS);

  log(`waiting for the gateway to verify ${all.length} lots (${present.size} tags)…`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await fetch(`${stack.gateway.apiUrl}/api/v1/lots`);
    const items = ((await res.json()) as { items: LotListItem[] }).items;
    if (items.length === all.length && items.every((l) => l.rfid?.settled && l.rfid.present === TAGS_PER_LOT)) break;
    if (Date.now() > deadline) throw new Error(`gateway did not settle: ${JSON.stringify(items.map((l) => [l.lotId, l.rfid?.present]))}`);
    await new Promise((r) => setTimeout(r, 250));
  }

  // A case counts for a lot only once its tags were taken; one before is a false alarm
  // (a stalled gateway calling every tag missing), which fails the benchmark.
  const removedAt = new Map<string, number>();
  const caseAt = new Map<string, number>();
  const falseCases = new Set<string>();
  let seenFrames = 0;
  const collectCases = () => {
    for (const e of live.received.slice(seenFrames)) {
      const c = e.data as CaseView;
      if (e.event !== 'case.opened' || c.lotId === null || caseAt.has(c.lotId)) continue;
      const removed = removedAt.get(c.lotId);
      if (removed === undefined || e.receivedAt < removed) {
        falseCases.add(c.lotId);
        log(`  false alarm: ${c.kind} on ${c.lotId}: ${c.title}`);
      }
      else caseAt.set(c.lotId, e.receivedAt);
    }
    seenFrames = live.received.length;
  };

  log(`${all.length} trials, one every ${TRIAL_SPACING_MS} ms…`);
  for (const [i, lot] of all.entries()) {
    for (const epc of lot.epcs.slice(0, REMOVED_PER_TRIAL)) present.delete(epc);
    removedAt.set(lot.lotId, Date.now());
    collectCases();
    if ((i + 1) % 10 === 0) log(`  ${i + 1}/${all.length} lots robbed, ${caseAt.size} cases seen`);
    await new Promise((r) => setTimeout(r, TRIAL_SPACING_MS));
  }
  const waitUntil = Date.now() + 60_000;
  while (caseAt.size < all.length && Date.now() < waitUntil) {
    await new Promise((r) => setTimeout(r, 100));
    collectCases();
  }
  clearInterval(rounds);

  const fromReport: number[] = [];
  const fromDecision: number[] = [];
  for (const lot of all) {
    const opened = caseAt.get(lot.lotId);
    const decided = missingAt.get(lot.lotId);
    if (opened === undefined || decided === undefined) continue;
    // The report that completed the evidence: the first round published at or after the
    // end of the cycle that found the tags missing.
    const report = published.find((t) => t >= decided);
    if (report !== undefined) fromReport.push(opened - report);
    fromDecision.push(opened - decided);
  }
  fromReport.sort((a, b) => a - b);
  fromDecision.sort((a, b) => a - b);

  live.close();
  await reader.endAsync();
  await watcher.endAsync();
  await stack.close();

  const summary = {
    bench: 'reader-to-case',
    broker: process.env.MQTT_URL ? 'external' : 'embedded aedes',
    database: process.env.DATABASE_URL ? 'postgresql' : 'pglite',
    trials: all.length,
    casesSeen: caseAt.size,
    falseAlarms: falseCases.size,
    fromReaderReportMs: { p50: round1(percentile(fromReport, 50)), p99: round1(percentile(fromReport, 99)), max: round1(fromReport.at(-1) ?? Number.NaN), samples: fromReport.length },
    fromCycleEndMs: { p50: round1(percentile(fromDecision, 50)), p99: round1(percentile(fromDecision, 99)), samples: fromDecision.length },
    target: { p99Ms: TARGET_P99_MS },
    targetMet: falseCases.size === 0 && fromReport.length === all.length && percentile(fromReport, 99) < TARGET_P99_MS,
  };
  log(
    `reader report → case on the lender's stream: p50 ${summary.fromReaderReportMs.p50} ms, p99 ${summary.fromReaderReportMs.p99} ms ` +
      `(${fromReport.length}/${all.length} trials, ${falseCases.size} false alarms; target p99 < ${TARGET_P99_MS} ms: ${summary.targetMet ? 'met' : 'NOT met'})`,
  );
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

await main();
