import type { ScoreRow } from './score-core.ts';

const yes = (v: boolean | null): string => (v === null ? '–' : v ? 'yes' : 'no');

/** The score as a Markdown table (what the README shows). */
export function scoreTable(rows: readonly ScoreRow[]): string {
  const head = ['scenario', 'incident', 'lot / device', 'result', 'detected by', 'right lot', 'right kind', 'latency (sim s)', 'lot state', 'false alarms / 24 h'];
  const lines = rows.map((r) => [r.scenario, r.incident, r.lotId ?? '–', r.result, r.detectedBy ?? '–', yes(r.rightLot), yes(r.rightKind), r.latencyS === null ? '–' : String(r.latencyS), r.lotState ?? '–', `${r.falseAlarmsPer24h} (${r.falseAlarms} in ${r.simulatedHours} h)`]);
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...lines.map((l) => `| ${l.join(' | ')} |`)].join('\n');
}
