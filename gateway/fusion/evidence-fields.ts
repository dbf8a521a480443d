import type { DeviceKind, EvidenceOf } from '../../protocol/index.ts';
import { DEVICE_KINDS } from '../../protocol/index.ts';

// Fusion reads evidence typed by its event type (protocol/evidence); these helpers only
// interpret what the schema cannot say (a device ref's parts, what counts as complete).

export interface DeviceOfEvidence {
  ref: string;
  kind: DeviceKind | undefined;
  id: string;
}

/** `evidence.device`, written `{site}/{kind}/{id}` (PROTOCOL.md); kind `device` is one presence could not tell. */
export function deviceOf(ref: string): DeviceOfEvidence {
  const [, kind, id = ref] = ref.split('/');
  return { ref, id, kind: DEVICE_KINDS.find((k) => k === kind) };
}

/** Hex EPCs named by an RFID finding, uppercase. */
export function epcsOf(evidence: { tags: ReadonlyArray<{ epc: string }> }): string[] {
  return evidence.tags.map((t) => t.epc.toUpperCase());
}

/** Whether a `lot.verified` says no tag is missing (tags still pending are not missing). */
export function isCompleteCount(evidence: EvidenceOf<'lot.verified'>): boolean {
  return evidence.missing === 0;
}
