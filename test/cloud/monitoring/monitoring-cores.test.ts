import { afterEach, describe, expect, it, vi } from 'vitest';
import { csvField, toCsv } from '../../../cloud/monitoring/csv-writer.ts';
import { buildDailyReport, reportRow, type LotFacts } from '../../../cloud/monitoring/daily-report.ts';
import { reportCsv } from '../../../cloud/monitoring/report-csv.ts';
import { addDays, dayBounds, isCalendarDay, localDay, zonedTime } from '../../../cloud/monitoring/zoned-day.ts';
import { DEFAULT_INSPECTION_POLICY, drawInspections, uniform } from '../../../cloud/monitoring/inspection-plan.ts';
import { assessCount } from '../../../cloud/monitoring/inspection-variance.ts';
import { startPeriodicTask } from '../../../cloud/monitoring/periodic-task.ts';

describe('CSV writer (RFC 4180)', () => {
  it('quotes what needs quoting, doubles quotes, ends lines with CRLF', () => {
    expect(toCsv(['a', 'b'], [['x,y', 'say "hi"'], ['line\nbreak', null], [1.5, true]])).toBe('a,b\r\n"x,y","say ""hi"""\r\n"line\nbreak",\r\n1.5,true\r\n');
  });
  it('defuses spreadsheet formulas but keeps negative numbers', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-12.5')).toBe('-12.5');
    expect(csvField('-cmd')).toBe("'-cmd");
  });
});

describe('zoned days', () => {
  it('finds local midnight across a daylight-saving change', () => {
    expect(dayBounds('2026-03-29', 'Europe/Zurich')).toEqual({ from: new Date('2026-03-28T23:00:00Z'), to: new Date('2026-03-29T22:00:00Z') });
    expect(dayBounds('2026-01-01', 'UTC')).toEqual({ from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-02T00:00:00Z') });
    expect(zonedTime('2026-07-01', 'America/New_York', 9 * 3_600_000).toISOString()).toBe('2026-07-01T13:00:00.000Z');
    expect(localDay(new Date('2026-03-28T23:30:00Z'), 'Europe/Zurich')).toBe('2026-03-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(isCalendarDay('2026-02-30')).toBe(false);
  });
});

const facts = (over: Partial<LotFacts> = {}): LotFacts => ({
  site: 's1',
  lotId: 'L1',
  zone: 'z',
  receipt: { number: 'EWR-1', quantity: { value: '100', unit: 't' }, verifiedQuantity: { value: '100', unit: 't' } },
  verified: { at: '2026-01-01T10:00:00.000Z', eventId: 'e1', expected: 80, present: 76, missing: 4, quantity: { value: '95000', unit: 'kg' } },
  state: 'suspect',
  day: { moved: 2, warnings: 1, criticals: 0, events: 9 },
  releases: { count: 0, quantity: null },
  ...over,
});

describe('daily report', () => {
  it('computes stock, movement and variance per lot', () => {
    expect(reportRow(facts())).toMatchObject({
      receiptNumber: 'EWR-1',
      expectedItems: 80,
      presentItems: 76,
      varianceItems: 4,
      expectedQuantity: { value: '100', unit: 't' },
      verifiedQuantity: { value: '95000', unit: 'kg' },
      varianceQuantity: { value: '5', unit: 't' },
      variancePercent: '5',
      movedEvents: 2,
    });
    expect(reportRow(facts({ verified: null }))).toMatchObject({ verifiedQuantity: { value: '100', unit: 't' }, varianceQuantity: { value: '0', unit: 't' }, lastVerifiedAt: null });
    expect(reportRow(facts({ receipt: null, verified: { at: 'x', eventId: 'e', expected: 10, present: 10, missing: 0, quantity: null } }))).toMatchObject({ varianceQuantity: null, varianceItems: 0 });
  });

  it('totals and writes one CSV row per lot in a fixed column order', () => {
    const report = buildDailyReport({ kind: 'site', subject: 's1', date: '2026-01-01', timezone: 'UTC', from: new Date(0), to: new Date(86_400_000), generatedAt: new Date(0), lots: [facts({ lotId: 'L2', verified: null, state: null }), facts()] });
    expect(report.totals).toEqual({ lots: 2, lotsWithVariance: 1, lotsNotVerified: 1, movedEvents: 4, releases: 0, warnings: 2, criticals: 0 });
    const lines = reportCsv(report).split('\r\n');
    expect(lines[0]).toBe('date,site,lot_id,zone,receipt_number,state,expected_items,present_items,variance_items,expected_quantity,verified_quantity,variance_quantity,unit,verified_unit,variance_percent,last_verified_at,moved_events,releases,released_quantity,warnings,criticals');
    expect(lines[1]).toBe('2026-01-01,s1,L1,z,EWR-1,suspect,80,76,4,100,95000,5,t,kg,5,2026-01-01T10:00:00.000Z,2,0,,1,0');
    expect(lines).toHaveLength(4);
  });
});

describe('inspection scheduling', () => {
  const base = { seed: 'secret', siteId: 's1', tenantId: 'bank-a', timeZone: 'Europe/Zurich', after: '2025-12-31', until: '2027-12-31' };
  it('is deterministic in the seed and averages one visit per mean interval, in local working hours', () => {
    const draws = drawInspections(base);
    expect(drawInspections(base)).toEqual(draws);
    expect(drawInspections({ ...base, seed: 'other' })).not.toEqual(draws);
    // 730 days at 1/14: about 52 visits; a generous band keeps the test honest, not flaky.
    expect(draws.length).toBeGreaterThan(30);
    expect(draws.length).toBeLessThan(80);
    for (const d of draws) {
      const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Zurich', hour: '2-digit', hourCycle: 'h23' }).format(d.scheduledFor));
      expect(hour).toBeGreaterThanOrEqual(DEFAULT_INSPECTION_POLICY.windowStartHour);
      expect(hour).toBeLessThan(DEFAULT_INSPECTION_POLICY.windowEndHour);
      expect(localDay(d.scheduledFor, 'Europe/Zurich')).toBe(d.planDay);
    }
    expect(uniform('s', 'a')).toBeGreaterThanOrEqual(0);
    expect(uniform('s', 'a')).toBeLessThan(1);
  });
});

describe('inspection counts', () => {
  const policy = DEFAULT_INSPECTION_POLICY;
  it('accepts counts within tolerance and grades variances beyond it', () => {
    expect(assessCount({ value: '99.6', unit: 't' }, { value: '100', unit: 't' }, policy)).toMatchObject({ comparable: true, withinTolerance: true, severity: null, variance: '-0.4' });
    expect(assessCount({ value: '99000', unit: 'kg' }, { value: '100', unit: 't' }, policy)).toMatchObject({ withinTolerance: false, severity: 'warning', verified: '100000', variance: '-1000' });
    expect(assessCount({ value: '90', unit: 't' }, { value: '100', unit: 't' }, policy)).toMatchObject({ severity: 'critical', shortfallFraction: '0.1' });
    expect(assessCount({ value: '110', unit: 't' }, { value: '100', unit: 't' }, policy)).toMatchObject({ withinTolerance: false, severity: 'warning' });
    expect(assessCount({ value: '10', unit: 't' }, null, policy)).toMatchObject({ comparable: false, severity: 'warning' });
    expect(assessCount({ value: '10', unit: 'm3' }, { value: '10', unit: 't' }, policy)).toMatchObject({ comparable: false });
  });
});

describe('periodic task', () => {
  afterEach(() => vi.useRealTimers());
  it('runs the job with the injected clock on each tick, one run at a time', async () => {
    vi.useFakeTimers();
    let clock = 1_000;
    const runs: number[] = [];
    const task = startPeriodicTask({ name: 't', intervalMs: 60_000, now: () => new Date(clock), run: async (at) => void runs.push(at.getTime()), log: { error: () => {} } });
    clock = 5_000;
    await vi.advanceTimersByTimeAsync(60_000);
    clock = 9_000;
    await vi.advanceTimersByTimeAsync(60_000);
    await task.runOnce(new Date(42));
    expect(runs).toEqual([5_000, 9_000, 42]);
    await task.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(runs).toHaveLength(3);
  });
});
