import type { RegionOfInterest } from '../../protocol/site/site-config.ts';
import type { EvidenceOf } from '../../protocol/index.ts';
import type { DraftOf } from '../event-log/event-draft.ts';
import type { HealthChange } from './camera-health.ts';
import type { ChangeFinding } from './roi-change.ts';
import type { TamperFinding } from './tamper-detector.ts';

import type { Attach, Attachment } from '../pipeline/attach.ts';

export type { Attach, Attachment };

export type { RoiLabel } from '../../protocol/index.ts';
import type { RoiLabel } from '../../protocol/index.ts';

export interface CameraRef {
  /** `{site}/camera/{id}` */
  device: string;
  zones: readonly string[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const oneZone = (zones: readonly string[]) => (zones.length === 1 ? zones[0] : undefined);

/** `camera.tamper` (SHARED-SPEC): a blinded camera is a hole in the watch; fusion decides how bad. */
export function tamperEvent(camera: CameraRef, t: TamperFinding, ts: string): DraftOf<'camera.tamper'> {
  return {
    type: 'camera.tamper',
    severity: t.cleared ? 'info' : 'warning',
    zone: oneZone(camera.zones),
    ts,
    evidence: {
      device: camera.device,
      zones: [...camera.zones],
      kind: t.kind,
      metrics: { ...t.metrics },
      since: iso(t.sinceMs),
      durationMs: Math.round(t.durationMs),
      ...(t.cleared ? { cleared: true } : {}),
    },
  };
}

/**
 * `camera.change` (SHARED-SPEC), one per pledged lot of the ROI's zone (with its `lotId`),
 * or one for the zone when no lot is known there. `roi` is the configured rectangle, so
 * fusion finds the zone by it too.
 */
export function changeEvents(
  camera: CameraRef,
  c: ChangeFinding,
  ts: string,
  lots: readonly string[],
  extra: { attachments?: Attachment[]; classifier?: { label: RoiLabel; confidence: number } },
): DraftOf<'camera.change'>[] {
  const roi: RegionOfInterest = { x: c.roi.x, y: c.roi.y, width: c.roi.width, height: c.roi.height };
  const evidence: EvidenceOf<'camera.change'> = {
    device: camera.device,
    zone: c.zone,
    roi,
    changedFraction: Math.round(c.changedFraction * 10_000) / 10_000,
    ...(c.referenceAtMs === undefined ? {} : { referenceAt: iso(c.referenceAtMs) }),
    ...(extra.classifier ? { classifier: extra.classifier } : {}),
    atNight: c.atNight,
    ...(extra.attachments && extra.attachments.length > 0 ? { attachments: extra.attachments } : {}),
    ...(c.cleared ? { cleared: true as const } : {}),
  };
  const severity = c.cleared ? 'info' : 'warning';
  const targets = lots.length > 0 ? lots : [undefined];
  return targets.map((lotId) => ({ type: 'camera.change' as const, severity, lotId, zone: c.zone, ts, evidence: { ...evidence } }));
}

/**
 * Stream faults as device health, beside what presence reports (`device.offline` /
 * `device.online`, with the fields presence writes); the detail goes to the log.
 */
export function healthEvent(camera: CameraRef, h: HealthChange, ts: string): DraftOf<'device.offline' | 'device.online'> {
  return {
    type: h.state === 'offline' ? 'device.offline' : 'device.online',
    severity: h.state === 'offline' ? 'warning' : 'info',
    zone: oneZone(camera.zones),
    ts,
    evidence: { device: camera.device, reason: h.reason, zones: [...camera.zones] },
  };
}
