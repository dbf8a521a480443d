import type { SystemRun } from '../system/system-run.ts';
import type { ScoredCase, ScoredEvent } from './score-core.ts';

/**
 * Where the simulated warehouse really was at each wall-clock instant, sampled during the
 * run: a simulator that falls behind its schedule (a loaded machine) is behind its ideal
 * clock, so the ideal clock would overstate every latency.
 */
export function createSimTimeline(simNow: () => number) {
  const samples: Array<[wall: number, sim: number]> = [];
  return {
    sample: () => void samples.push([Date.now(), simNow()]),
    at(wallMs: number): number {
      const after = samples.findIndex(([wall]) => wall >= wallMs);
      if (after <= 0) return after === 0 ? (samples[0] as [number, number])[1] : (samples.at(-1)?.[1] ?? wallMs);
      const [w0, s0] = samples[after - 1] as [number, number];
      const [w1, s1] = samples[after] as [number, number];
      return w1 === w0 ? s1 : s0 + ((s1 - s0) * (wallMs - w0)) / (w1 - w0);
    },
  };
}

/** Every event of the run's gateway as the cloud stored it, with the warehouse's time of each. */
export async function collectEvents(run: SystemRun, siteTime: (wallMs: number) => number): Promise<ScoredEvent[]> {
  const events: ScoredEvent[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ gatewayId: run.stack.gatewayId, limit: '1000', ...(cursor ? { cursor } : {}) });
    const res = await fetch(`${run.stack.cloud.url}/api/v1/events?${query}`, { headers: run.stack.adminAuth });
    if (res.status !== 200) throw new Error(`events: HTTP ${res.status}`);
    const page = (await res.json()) as { items: Array<{ event: { type: string; severity: ScoredEvent['severity']; lotId?: string; ts: string; evidence: Record<string, unknown> } }>; nextCursor: string | null };
    for (const { event } of page.items) {
      events.push({ type: event.type, severity: event.severity, lotId: event.lotId, siteMs: siteTime(Date.parse(event.ts)), evidence: event.evidence });
    }
    cursor = page.nextCursor;
  } while (cursor);
  return events;
}

/** The cases the cloud opened for the run's site. */
export async function collectCases(run: SystemRun): Promise<ScoredCase[]> {
  const res = await fetch(`${run.stack.cloud.url}/api/v1/alerts?site=${run.warehouse.site.site}&limit=500`, { headers: run.stack.adminAuth });
  if (res.status !== 200) throw new Error(`alerts: HTTP ${res.status}`);
  const page = (await res.json()) as { items: Array<{ kind: string; severity: string; lotId: string | null; title: string }> };
  return page.items.map((c) => ({ kind: c.kind, severity: c.severity, lotId: c.lotId, title: c.title }));
}
