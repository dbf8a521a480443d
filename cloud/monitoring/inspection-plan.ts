import { createHash } from 'node:crypto';
import { addDays, zonedTime } from './zoned-day.ts';

export interface InspectionPolicy {
  /** On average one unannounced inspection per warehouse and bank this many days apart. */
  readonly meanIntervalDays: number;
  /** Local hours the branch may turn up: [start, end). */
  readonly windowStartHour: number;
  readonly windowEndHour: number;
  /** Days drawn ahead of today. */
  readonly horizonDays: number;
  /** After this long past its time an inspection not done is missed (and a case opens). */
  readonly graceMs: number;
  /** Counts within this fraction of the verified quantity are no variance (scales and tally sheets differ a little). */
  readonly tolerance: string;
  /** A shortfall beyond this fraction is critical; smaller variances are warnings. */
  readonly criticalShortfall: string;
}

/**
 * Defaults (cloud/monitoring/README.md): each day is an inspection day with probability
 * 1/14 per warehouse and bank, independently, so visits average one a fortnight but
 * follow no pattern a warehouse could learn (a geometric gap, not a rota); the time is
 * uniform in local working hours 08:00–18:00; drawn 7 days ahead; missed after 48 h.
 * A count within 0.5 % of the verified quantity is no variance; a shortfall over 2 % is
 * critical.
 */
export const DEFAULT_INSPECTION_POLICY: InspectionPolicy = {
  meanIntervalDays: 14,
  windowStartHour: 8,
  windowEndHour: 18,
  horizonDays: 7,
  graceMs: 48 * 3_600_000,
  tolerance: '0.005',
  criticalShortfall: '0.02',
};

/** A uniform number in [0, 1) fixed by the seed and the parts: the same inputs, the same draw. */
export function uniform(seed: string, ...parts: string[]): number {
  const digest = createHash('sha256').update([seed, ...parts].join('\u0000')).digest();
  // 48 bits are plenty and stay exact in a double.
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

export interface PlannedInspection {
  planDay: string;
  scheduledFor: Date;
}

/**
 * Draws the inspections of one warehouse and bank for the local days after `after` up
 * to and including `until`. Deterministic in (seed, site, bank, day): re-drawing a day
 * gives the same answer, so the seed must stay secret from warehouse operators.
 */
export function drawInspections(input: {
  seed: string;
  siteId: string;
  tenantId: string;
  timeZone: string;
  after: string;
  until: string;
  policy?: InspectionPolicy;
}): PlannedInspection[] {
  const policy = input.policy ?? DEFAULT_INSPECTION_POLICY;
  const planned: PlannedInspection[] = [];
  const windowMs = (policy.windowEndHour - policy.windowStartHour) * 3_600_000;
  for (let day = addDays(input.after, 1); day <= input.until; day = addDays(day, 1)) {
    if (uniform(input.seed, input.siteId, input.tenantId, day, 'day') >= 1 / policy.meanIntervalDays) continue;
    const offset = policy.windowStartHour * 3_600_000 + Math.floor(uniform(input.seed, input.siteId, input.tenantId, day, 'time') * windowMs / 60_000) * 60_000;
    planned.push({ planDay: day, scheduledFor: zonedTime(day, input.timeZone, offset) });
  }
  return planned;
}
