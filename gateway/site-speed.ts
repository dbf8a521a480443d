import { DEFAULT_DEVICE_SILENCE_MS, type GatewayConfig } from './config.ts';
import { DEFAULT_DWELL_MS, DEFAULT_EVIDENCE_WINDOWS } from './fusion/evidence-windows.ts';
import { rfidOptionsAtSpeed } from './rfid/rfid-options.ts';
import type { GatewayDeps } from './start-gateway.ts';

/** Where each timing goes: `startGateway(config, deps)`. */
export interface GatewayTiming {
  readonly config: Pick<GatewayConfig, 'deviceSilenceMs'>;
  readonly deps: Required<Pick<GatewayDeps, 'rfid' | 'tickMs' | 'fusion' | 'sensors'>>;
}

/**
 * Timings for a gateway watching a site whose clock runs `speed` times faster than its
 * own (the demo's simulated warehouse): the gateway judges time by arrival, so cycles,
 * graces, dwell, evidence windows and device silence shrink by the same factor.
 */
export function gatewayTimingAtSpeed(speed: number): GatewayTiming {
  const rfid = rfidOptionsAtSpeed(speed);
  return {
    config: { deviceSilenceMs: Math.max(1_000, Math.round(DEFAULT_DEVICE_SILENCE_MS / speed)) },
    deps: {
      rfid,
      // The RFID stage must be ticked at least once per inventory cycle.
      tickMs: Math.max(20, Math.min(1_000, Math.floor((rfid.cycleMs ?? 10_000) / 2))),
      sensors: { speed },
      fusion: {
        dwellMs: DEFAULT_DWELL_MS / speed,
        windows: Object.fromEntries(Object.entries(DEFAULT_EVIDENCE_WINDOWS).map(([kind, ms]) => [kind, ms === null ? null : ms / speed])),
      },
    },
  };
}
