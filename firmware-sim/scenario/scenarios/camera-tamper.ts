import type { TamperMode } from '../../engine/faults.ts';
import { HOUR, MINUTE } from '../timeline.ts';
import type { ScenarioDefinition } from '../types.ts';

/** Evidence kinds the gateway reports for each tamper mode (PROTOCOL.md `camera.tamper`). */
const EVIDENCE: Record<TamperMode, string> = { covered: 'covered', blurred: 'blurred', moved: 'moved', frozen: 'frozen' };

function tamperScenario(mode: TamperMode, name: string, description: string, startLocal: string, forMs: number): ScenarioDefinition {
  return {
    name,
    description,
    startLocal,
    durationMs: 2 * HOUR,
    incident(ctx) {
      const cameras = ctx.layout.cameras.filter((c) => ctx.deviceIds.has(c.id));
      if (cameras.length === 0) return;
      const camera = ctx.rng.pick(cameras);
      const from = ctx.startMs + ctx.rng.int(20, 40) * MINUTE;
      const until = from + forMs;
      const zones = camera.views.map((v) => v.zone);
      ctx.at(from, () => {
        ctx.setTamper(camera.id, mode);
        ctx.truth({ kind: 'tamper', deviceId: camera.id, zone: zones[0], detail: { mode, evidenceKind: EVIDENCE[mode], zones, until: new Date(until).toISOString() } });
      });
      ctx.at(until, () => {
        ctx.setTamper(camera.id, undefined);
        ctx.truth({ kind: 'tamper-cleared', deviceId: camera.id, zone: zones[0], detail: { mode, zones } });
      });
    },
  };
}

export const cameraCovered = tamperScenario('covered', 'camera-covered', 'a camera lens is covered for 25 minutes in the afternoon', '13:00', 25 * MINUTE);
export const cameraMoved = tamperScenario('moved', 'camera-moved', 'a camera is knocked sideways (turned and shifted) for an hour, then put back', '09:00', HOUR);
export const cameraBlurred = tamperScenario('blurred', 'camera-blurred', 'a camera is defocused (lens smeared or twisted) for 40 minutes', '10:00', 40 * MINUTE);
export const cameraFrozen = tamperScenario('frozen', 'camera-frozen', "a camera's stream freezes on one frame for 30 minutes", '14:00', 30 * MINUTE);
