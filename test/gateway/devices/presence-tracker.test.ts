import { describe, expect, it } from 'vitest';
import { createPresenceTracker } from '../../../gateway/devices/presence-tracker.ts';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

describe('presence tracker', () => {
  it('reports online once for a chatty device, not once per message', () => {
    const t = createPresenceTracker(60_000);
    expect(t.activity('rd-a', 'rfid', at(0))).toMatchObject({ state: 'online', reason: 'activity' });
    expect(t.activity('rd-a', 'rfid', at(1))).toBeUndefined();
    expect(t.status('rd-a', 'online', at(2))).toBeUndefined();
  });

  it('reports offline from the status topic (last will) and back online on activity', () => {
    const t = createPresenceTracker(60_000);
    t.activity('cam-a', 'camera', at(0));
    expect(t.status('cam-a', 'offline', at(5))).toMatchObject({ state: 'offline', reason: 'status', kind: 'camera' });
    expect(t.status('cam-a', 'offline', at(6))).toBeUndefined();
    expect(t.activity('cam-a', 'camera', at(10))).toMatchObject({ state: 'online' });
  });

  it('reports a silent device offline after the silence limit, exactly once', () => {
    const t = createPresenceTracker(60_000);
    t.activity('mic-1', 'audio', at(0));
    expect(t.tick(at(59))).toEqual([]);
    expect(t.tick(at(61))).toMatchObject([{ deviceId: 'mic-1', state: 'offline', reason: 'silence' }]);
    expect(t.tick(at(120))).toEqual([]);
  });

  it('never calls a reader offline for tag silence: a door reader with no tag passing is not dead', () => {
    const t = createPresenceTracker(60_000);
    t.activity('rd-dock', 'rfid', at(0));
    t.activity('scale-a', 'sensor', at(0));
    expect(t.tick(at(3_000))).toMatchObject([{ deviceId: 'scale-a', state: 'offline', reason: 'silence' }]);
    expect(t.status('rd-dock', 'offline', at(3_001))).toMatchObject({ deviceId: 'rd-dock', state: 'offline', reason: 'status' });
  });

  it('reports a retained offline status of a never-seen device', () => {
    const t = createPresenceTracker(60_000);
    expect(t.status('rd-b', 'offline', at(0), 'rfid')).toMatchObject({ state: 'offline', kind: 'rfid', lastSeen: undefined });
  });
});
