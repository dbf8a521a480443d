/**
 * `npm run demo -- <command>`: stages incidents on a running demo (`npm start`) as its
 * administrator, over the cloud's HTTP API, and waits for what they cause.
 *
 *   npm run demo -- list
 *   npm run demo -- trigger night-theft [--url http://127.0.0.1:3000] [--timeout 300]
 */
import { parseArgs } from 'node:util';
import { createDemoApi, DemoApiError, type DemoApi } from './demo-api.ts';
import { casesSince, describeCase, marginCallsSince, type CaseSummary, type MarginCallSummary } from './incident-watch.ts';
import type { DemoTriggerResult } from '../cloud/demo-scenarios/demo-scenarios.ts';

const USAGE = `usage: npm run demo -- list
       npm run demo -- trigger <scenario> [--url <cloud url>] [--email <admin>] [--password <pw>] [--timeout <seconds>]

  --url       the running demo's cloud (default http://127.0.0.1:$PORT, PORT default 3000)
  --email     an administrator (default admin@platform.demo)
  --password  (default demo-password, what npm start seeds)
  --timeout   seconds to wait for the case (default 300)
`;

const POLL_MS = 2_000;


async function list(api: DemoApi, admin: string): Promise<number> {
  const reply = await api.call(admin, 'GET', '/api/v1/demo/scenarios');
  if (reply.status !== 200) return fail(`listing scenarios: HTTP ${reply.status} ${String(reply.json.message ?? '')}`);
  for (const s of reply.json.items as Array<{ name: string; plays: string; watch: string }>) process.stdout.write(`${s.name.padEnd(16)} ${s.plays.padEnd(6)} ${s.watch}\n`);
  return 0;
}

async function trigger(api: DemoApi, admin: string, name: string, timeoutMs: number): Promise<number> {
  const reply = await api.call(admin, 'POST', `/api/v1/demo/scenarios/${encodeURIComponent(name)}`);
  if (reply.status !== 202) return fail(`staging ${name}: HTTP ${reply.status} ${String(reply.json.message ?? '')}`);
  const staged = reply.json as unknown as DemoTriggerResult;
  const since = Date.parse(staged.startedAt);
  say(`staged ${staged.scenario} on site ${staged.site} at simulated ${staged.simTime.slice(0, 16).replace('T', ' ')} UTC`);
  say(`watch: ${staged.watch}`);
  if (staged.refused !== null) {
    say(`the cloud refused the second presentation: HTTP ${staged.refused.statusCode} ${staged.refused.message}`);
    return staged.refused.statusCode === 409 ? 0 : fail('expected 409 Conflict');
  }
  const started = Date.now();
  // Goods scenarios end in a case for a lot; whatever else opens meanwhile is shown, not taken for it.
  const lotCase = staged.scenario === 'night-theft' || staged.scenario === 'substitution';
  const shown = new Set<string>();
  while (Date.now() - started < timeoutMs) {
    const found = await look(api, admin, since, staged.scenario === 'price-crash', lotCase, shown);
    if (found !== undefined) {
      process.stderr.write('\n');
      say(found);
      return 0;
    }
    process.stderr.write(`\r  waiting for the case… ${Math.round((Date.now() - started) / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  process.stderr.write('\n');
  return fail(`no case within ${Math.round(timeoutMs / 1000)} s`);
}

async function look(api: DemoApi, admin: string, since: number, marginCalls: boolean, lotCase: boolean, shown: Set<string>): Promise<string | undefined> {
  const cases = await api.call(admin, 'GET', '/api/v1/alerts?limit=100');
  const fresh = casesSince((cases.json.items ?? []) as CaseSummary[], since);
  const theirs = fresh.filter((c) => !lotCase || c.lotId !== null);
  if (theirs.length > 0) return `case ${theirs.map(describeCase).join('\n     ')}`;
  for (const c of fresh.filter((f) => !shown.has(f.reference))) {
    shown.add(c.reference);
    process.stderr.write(`\n  meanwhile: ${describeCase(c)}\n`);
  }
  if (!marginCalls) return undefined;
  const calls = await api.call(admin, 'GET', '/api/v1/margin-calls?limit=100');
  const opened = marginCallsSince((calls.json.items ?? []) as MarginCallSummary[], since);
  return opened.length === 0 ? undefined : opened.map((m) => `margin call ${m.id} on facility ${m.facilityId}, LTV at open ${m.ltvAtOpen ?? '–'}`).join('\n');
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function fail(message: string): number {
  process.stderr.write(`demo: ${message}\n`);
  return 1;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: { url: { type: 'string' }, email: { type: 'string' }, password: { type: 'string' }, timeout: { type: 'string' }, help: { type: 'boolean' } },
  });
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(`demo: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, name] = positionals;
  const timeout = Number(values.timeout ?? '300');
  if (values.help === true || command === undefined || !Number.isFinite(timeout) || timeout <= 0) {
    process.stdout.write(USAGE);
    return command === undefined || values.help === true ? 0 : 2;
  }
  const url = (values.url ?? `http://127.0.0.1:${process.env.PORT?.trim() || '3000'}`).replace(/\/+$/, '');
  const admin = values.email ?? 'admin@platform.demo';
  const api = createDemoApi(url, values.password ?? 'demo-password');
  try {
    if (command === 'list') return await list(api, admin);
    if (command === 'trigger' && name !== undefined) return await trigger(api, admin, name, timeout * 1000);
  } catch (error) {
    if (error instanceof DemoApiError) return fail(error.message);
    if (error instanceof TypeError) return fail(`cannot reach ${url}: is the demo running (npm start)? ${String((error as { cause?: unknown }).cause ?? error.message)}`);
    throw error;
  }
  process.stdout.write(USAGE);
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
