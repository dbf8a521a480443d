import type { WarehouseStats } from './shell/start.ts';
import type { GroundTruthEvent } from './scenario/types.ts';
import type { Channel } from './engine/simulation.ts';

const CHANNELS: readonly Channel[] = ['rfid', 'camera', 'audio', 'sensor'];

/** One status line: simulated time, messages per real second per kind, bandwidth, lag. */
export function progressLine(now: WarehouseStats, before: WarehouseStats | undefined): string {
  const dt = Math.max(1, now.realElapsedMs - (before?.realElapsedMs ?? 0)) / 1000;
  const rate = (ch: Channel) => (now.published[ch].messages - (before?.published[ch].messages ?? 0)) / dt;
  const bytes = CHANNELS.reduce((s, ch) => s + now.published[ch].bytes - (before?.published[ch].bytes ?? 0), 0) / dt;
  const parts = CHANNELS.map((ch) => `${ch} ${rate(ch).toFixed(1)}/s`);
  const sim = now.simTime.replace('T', ' ').slice(0, 19);
  return `sim ${sim} ×${now.achievedSpeed.toFixed(0)} | ${parts.join(' ')} | ${(bytes / 1e6).toFixed(2)} MB/s | lag ${now.lagMs.current.toFixed(0)} ms (p95 ${now.lagMs.p95.toFixed(0)}) | ${now.connected}/${now.devices} online`;
}

const CONTEXT_KINDS = new Set(['scenario', 'audio-event', 'activity', 'stray-tag', 'price']);

/** Ground truth worth a line on the console: incidents, not background work. */
export function incidentLine(event: GroundTruthEvent): string | undefined {
  if (CONTEXT_KINDS.has(event.kind)) return undefined;
  const who = [event.lotId, event.zone, event.deviceId].filter(Boolean).join(' ');
  const epcs = event.epcs ? ` ${event.epcs.length} tags` : '';
  return `! ${event.ts.replace('T', ' ').slice(0, 19)} ${event.kind}${who ? ` ${who}` : ''}${epcs}`;
}
