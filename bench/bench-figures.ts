/** One line of `npm run bench`'s table: a figure, what it is measured against in the same run, and its target. */
export interface BenchFigure {
  bench: string;
  figure: string;
  value: string;
  reference: string;
  ratio: string;
  target: string;
  met: boolean | null;
}

type Summary = Record<string, unknown>;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const at = (s: Summary, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Summary)[k] : undefined), s);
const show = (v: unknown): string => (v === undefined || v === null ? '–' : typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : String(v));
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);

/**
 * What each benchmark's JSON summary line means as a row of the table. A bench not
 * listed still gets a row from its `ratio` and `targetMet`/`met` fields.
 */
const READERS: Readonly<Record<string, (s: Summary) => Omit<BenchFigure, 'bench'>[]>> = {
  'cloud-ingest': (s) => [
    { figure: `verified signed events/s (${show(s.database)})`, value: show(s.verifiedEventsPerSec), reference: `${show(s.unverifiedEventsPerSec)} plain inserts/s`, ratio: show(s.ratio), target: '≥ 5,000/s on PostgreSQL', met: bool(s.targetMet) },
  ],
  'cloud-pledge-concurrency': (s) => [
    { figure: 'concurrent pledges: winners per receipt', value: `${show(s.succeeded)} won, ${show(s.conflicts)} refused`, reference: `${show(s.attempts)} attempts on ${show(s.receipts)} receipts`, ratio: '–', target: 'exactly one per receipt', met: bool(s.exactlyOneWinnerPerReceipt) },
  ],
  'cloud-revaluation': (s) => [
    { figure: 'price tick → every line revalued, ms', value: show(s.tickMs), reference: `${show(s.baselineUpdateMs)} ms bare UPDATE of the same rows`, ratio: show(s.ratio), target: '< 1,000 ms, ratio ≤ 3', met: at(s, 'met.underOneSecond') === true && at(s, 'met.withinRatio') === true },
  ],
  'firmware-sim-scale': (s) => [
    { figure: 'simulated 50-reader site, achieved speed', value: show(s.achievedSpeed), reference: 'real time (1.0)', ratio: show(s.achievedSpeed), target: 'keeps up', met: bool(s.keptUp) },
  ],
  'gateway-rfid-decode': (s) => [
    { figure: 'RFID decode, µs per read (learned layouts)', value: show(s.layoutsUsPerRead), reference: `${show(s.fullParseUsPerRead)} µs full parse`, ratio: show(s.speedup), target: 'faster than full parse', met: (num(s.speedup) ?? 0) > 1 },
  ],
  'gateway-rfid-ingest': (s) => [
    { figure: `RFID ingest vs bare subscriber (${show(s.broker)})`, value: show(s.ratio), reference: 'bare mqtt.js subscriber, same stream', ratio: show(s.ratio), target: `≥ ${show(s.ratioTarget)}`, met: bool(s.ratioMet) },
  ],
  'gateway-rfid-reconcile': (s) => [
    { figure: `reconcile ${show(s.tags)} tags, median ms per cycle`, value: show(at(s, 'closeCycle.medianMs')), reference: `p90 ${show(at(s, 'closeCycle.p90Ms'))} ms`, ratio: '–', target: `< ${show(s.closeTargetMs)} ms`, met: bool(s.closeTargetMet) },
  ],
  outbox: (s) => [
    { figure: 'outbox append + fsync vs appendFile + fsync (worst batch size)', value: show(s.appendRatioMin), reference: 'appendFile + fsync, same frames', ratio: show(s.appendRatioMin), target: `≥ ${show(s.appendRatioTarget)}`, met: bool(s.appendRatioMet) },
  ],
  'reader-to-case': (s) => [
    { figure: `reader report → case on the live stream, p99 ms (${show(s.database)})`, value: show(at(s, 'fromReaderReportMs.p99')), reference: `p50 ${show(at(s, 'fromReaderReportMs.p50'))} ms; ${show(s.falseAlarms)} false alarms`, ratio: '–', target: `p99 < ${show(at(s, 'target.p99Ms'))} ms`, met: bool(s.targetMet) },
  ],
};

export function benchFigures(summary: Summary): BenchFigure[] {
  const bench = typeof summary.bench === 'string' ? summary.bench : 'unknown';
  const reader = READERS[bench];
  const rows = reader
    ? reader(summary)
    : [{ figure: bench, value: show(summary.ratio), reference: '–', ratio: show(summary.ratio), target: '–', met: bool(summary.targetMet ?? summary.met) }];
  return rows.map((row) => ({ bench, ...row }));
}

export function benchTable(rows: readonly BenchFigure[]): string {
  const head = ['bench', 'figure', 'measured', 'reference (same run)', 'ratio', 'target', 'met'];
  const cells = rows.map((r) => [r.bench, r.figure, r.value, r.reference, r.ratio, r.target, r.met === null ? '–' : r.met ? 'met' : 'short']);
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...cells.map((c) => `| ${c.join(' | ')} |`)].join('\n');
}
