import { HOUR, MINUTE } from '../timeline.ts';
import type { ScenarioDefinition } from '../types.ts';

export const readerOffline: ScenarioDefinition = {
  name: 'reader-offline',
  description: 'a bay reader first loses an antenna for a few minutes, then loses power (its last will fires) and comes back 15 minutes later',
  startLocal: '10:00',
  durationMs: HOUR,
  incident(ctx) {
    const readers = ctx.layout.readers.filter((r) => !r.door && ctx.deviceIds.has(r.id));
    const reader = readers[0];
    if (!reader) return;
    const port = reader.antennas[reader.antennas.length - 1]?.port ?? 1;
    const zone = reader.antennas[0]?.zone;
    const cableOff = ctx.startMs + 12 * MINUTE;
    const cableOn = cableOff + 4 * MINUTE;
    const down = ctx.startMs + 25 * MINUTE + ctx.rng.int(0, 5) * MINUTE;
    const up = down + 15 * MINUTE;
    ctx.at(cableOff, () => {
      ctx.setAntenna(reader.id, port, false);
      ctx.truth({ kind: 'antenna-disconnected', deviceId: reader.id, zone, detail: { antenna: port } });
    });
    ctx.at(cableOn, () => {
      ctx.setAntenna(reader.id, port, true);
      ctx.truth({ kind: 'antenna-connected', deviceId: reader.id, zone, detail: { antenna: port } });
    });
    ctx.at(down, () => ctx.powerOff(reader.id));
    ctx.at(up, () => ctx.powerOn(reader.id));
  },
};
