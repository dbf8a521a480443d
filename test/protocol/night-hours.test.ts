import { describe, expect, it } from 'vitest';
import { nightHours } from '../../protocol/index.ts';

const at = (iso: string) => Date.parse(iso);

describe('night hours', () => {
  it('runs across midnight, from inclusive and to exclusive', () => {
    const isNight = nightHours({ timezone: 'UTC', night: { from: '20:00', to: '06:00' } });
    expect(isNight(at('2026-03-02T19:59:59Z'))).toBe(false);
    expect(isNight(at('2026-03-02T20:00:00Z'))).toBe(true);
    expect(isNight(at('2026-03-02T23:59:59Z'))).toBe(true);
    expect(isNight(at('2026-03-03T00:00:00Z'))).toBe(true);
    expect(isNight(at('2026-03-03T05:59:59Z'))).toBe(true);
    expect(isNight(at('2026-03-03T06:00:00Z'))).toBe(false);
    expect(isNight(at('2026-03-03T12:00:00Z'))).toBe(false);
  });

  it('reads the warehouse wall clock, daylight saving included (America/New_York, night 22:00–05:30)', () => {
    const isNight = nightHours({ timezone: 'America/New_York', night: { from: '22:00', to: '05:30' } });
    // 7 March: EST (UTC−5). 10:29Z is 05:29 local, 10:30Z is 05:30.
    expect(isNight(at('2026-03-07T10:29:00Z'))).toBe(true);
    expect(isNight(at('2026-03-07T10:30:00Z'))).toBe(false);
    // 9 March: EDT (UTC−4) since the 8th. 10:29Z is already 06:29 local; 09:29Z is 05:29.
    expect(isNight(at('2026-03-09T10:29:00Z'))).toBe(false);
    expect(isNight(at('2026-03-09T09:29:00Z'))).toBe(true);
    // 22:00 local on the 9th is 02:00Z on the 10th; midnight local is 04:00Z.
    expect(isNight(at('2026-03-10T01:59:00Z'))).toBe(false);
    expect(isNight(at('2026-03-10T02:00:00Z'))).toBe(true);
    expect(isNight(at('2026-03-10T04:00:00Z'))).toBe(true);
  });

  it('handles a window within one day, and equal bounds as no night', () => {
    const early = nightHours({ timezone: 'UTC', night: { from: '01:00', to: '05:00' } });
    expect(early(at('2026-03-02T00:59:00Z'))).toBe(false);
    expect(early(at('2026-03-02T01:00:00Z'))).toBe(true);
    expect(early(at('2026-03-02T04:59:00Z'))).toBe(true);
    expect(early(at('2026-03-02T05:00:00Z'))).toBe(false);
    const none = nightHours({ timezone: 'UTC', night: { from: '00:00', to: '00:00' } });
    expect(none(at('2026-03-02T00:00:00Z'))).toBe(false);
    expect(none(at('2026-03-02T12:00:00Z'))).toBe(false);
  });

  it('refuses a time zone the runtime does not know, at start', () => {
    expect(() => nightHours({ timezone: 'Mars/Olympus', night: { from: '20:00', to: '06:00' } })).toThrow(/IANA time zone/);
  });
});
