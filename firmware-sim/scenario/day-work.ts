import { factoryDefaultTag, foreignGoodsTag } from '../rfid/stray-tags.ts';
import { doorZone, forkliftAt, storageZones } from './operations.ts';
import { MINUTE, poissonTimes, workingWindows } from './timeline.ts';
import type { ScenarioContext } from './types.ts';

/**
 * An ordinary working day around whatever a scenario stages: the shift arriving, forklift
 * cycle counts, people talking, doors, and now and then somebody else's pallet or an
 * unencoded label passing through a bay. None of it is an incident; all of it is in the
 * ground truth so scorers can tell a false alarm from a missed one.
 */
export function dayWork(ctx: ScenarioContext): void {
  const zones = storageZones(ctx);
  if (zones.length === 0) return;
  const door = doorZone(ctx);
  const { warehouse } = ctx;
  for (const [from, to] of workingWindows(ctx)) {
    const rng = ctx.rng.fork(`shift@${from}`);
    ctx.sound(door ?? (zones[0] as string), 'door-slam', from + rng.int(0, 10) * MINUTE, 1_000);
    ctx.sound(zones[0] as string, 'voices', from + 5 * MINUTE, 2 * MINUTE, -8);
    for (const t of poissonTimes(ctx, from, to - 10 * MINUTE, 50 * MINUTE, 'forklift')) {
      const r = ctx.rng.fork(`forklift@${t}`);
      const zone = r.pick(zones);
      const durationMs = r.int(2, 4) * MINUTE;
      ctx.at(t, () => {
        const occupied = [...new Set(warehouse.itemsIn(zone).filter((i) => i.slot >= 0).map((i) => i.slot))];
        if (occupied.length === 0) return;
        const slot = r.pick(occupied);
        forkliftAt(ctx, zone, slot, t, durationMs);
        ctx.truth({ kind: 'activity', zone, detail: { what: 'forklift cycle count', slot, durationMs } });
      });
    }
    for (const t of poissonTimes(ctx, from, to, 35 * MINUTE, 'voices')) {
      const r = ctx.rng.fork(`voices@${t}`);
      ctx.sound(r.pick(zones), 'voices', t, r.int(20, 90) * 1_000, -4);
    }
    for (const t of poissonTimes(ctx, from, to, 80 * MINUTE, 'slam')) {
      ctx.sound(door ?? ctx.rng.fork(`slam@${t}`).pick(zones), 'door-slam', t, 1_000);
    }
    if (!ctx.options.rfid.strayTags) continue;
    for (const t of poissonTimes(ctx, from, to, 150 * MINUTE, 'stray')) {
      const r = ctx.rng.fork(`stray@${t}`);
      const zone = r.pick(zones);
      const tag = r.chance(0.7) ? foreignGoodsTag(r) : factoryDefaultTag(r);
      const until = t + r.int(2, 8) * MINUTE;
      ctx.at(t, () => {
        const g = warehouse.zone(zone);
        warehouse.addStray({ epc: tag.epc, zone, pos: { x: g.x0 + g.width * r.float(), y: 1.5, z: 1.2 }, from: t, until, source: tag.source });
        ctx.truth({ kind: 'stray-tag', zone, epcs: [tag.epc], detail: { source: tag.source, until: new Date(until).toISOString() } });
      });
    }
  }
}
