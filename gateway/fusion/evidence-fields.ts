import type { DeviceKind } from '../../protocol/index.ts';
import { DEVICE_KINDS } from '../../protocol/index.ts';

// Stages write evidence as open JSON (PROTOCOL.md fixes only a few names), so fusion
// reads it leniently: a field of an unexpected shape is treated as absent, never thrown on.

type Evidence = Readonly<Record<string, unknown>>;

export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function count(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  return Array.isArray(value) ? value.length : undefined;
}

export interface DeviceOfEvidence {
  ref: string;
  kind: DeviceKind | undefined;
  id: string;
}

/** `evidence.device`, written `{site}/{kind}/{id}` (PROTOCOL.md). */
export function deviceOf(evidence: Evidence): DeviceOfEvidence | undefined {
  const ref = text(evidence.device);
  if (ref === undefined) return undefined;
  const parts = ref.split('/');
  const id = parts[parts.length - 1];
  if (id === undefined || id === '') return undefined;
  const kind = parts.length === 3 ? parts[1] : undefined;
  return { ref, id, kind: (DEVICE_KINDS as readonly (string | undefined)[]).includes(kind) ? (kind as DeviceKind) : undefined };
}

/** How many tags a finding is about: `count`, `missing` (a number or a list), `tags` or `epcs`. */
export function tagCount(evidence: Evidence): number | undefined {
  for (const key of ['count', 'missing', 'tags', 'epcs']) {
    const n = count(evidence[key]);
    if (n !== undefined) return n;
  }
  return undefined;
}

/** Hex EPCs named by a finding: `epcs: string[]` or `tags: [{ epc | epcHex | hex }]`. */
export function epcsOf(evidence: Evidence): string[] {
  const found: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'string' && /^[0-9A-Fa-f]+$/.test(value)) found.push(value.toUpperCase());
  };
  if (Array.isArray(evidence.epcs)) evidence.epcs.forEach(add);
  if (Array.isArray(evidence.tags)) {
    for (const tag of evidence.tags) {
      if (typeof tag === 'string') add(tag);
      else if (typeof tag === 'object' && tag !== null) {
        const t = tag as Record<string, unknown>;
        add(t.epc ?? t.epcHex ?? t.hex);
      }
    }
  }
  return found;
}

/** `evidence.zones` as presence writes it. */
export function zonesOf(evidence: Evidence): string[] {
  return Array.isArray(evidence.zones) ? evidence.zones.filter((z): z is string => typeof z === 'string') : [];
}

/**
 * Whether a `lot.verified` says every expected tag was read: `missing` 0 (or an empty
 * list), or, from a stage that writes only counts, `present` at least `expected`.
 */
export function isCompleteCount(evidence: Evidence): boolean {
  const missing = count(evidence.missing);
  if (missing !== undefined) return missing === 0;
  const { present, expected } = evidence;
  return typeof present === 'number' && typeof expected === 'number' && present >= expected;
}

/** The video, audio and sensor stages mark the end of a finding with `cleared: true`. */
export function isClearing(evidence: Evidence): boolean {
  return evidence.cleared === true;
}
