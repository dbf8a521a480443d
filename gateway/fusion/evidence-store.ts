import type { Clearing, EvidenceItem, Observation, Scope } from './evidence.ts';

/** Current findings, per scope and per key (kind, source, signal). Plain data; the functions below are its only writers. */
export type EvidenceStore = Map<Scope, Map<string, EvidenceItem>>;

// The establishing event and the latest few that changed what the finding says are what
// an investigator opens; a reader reporting the same gap every cycle adds nothing.
const MAX_EVENT_IDS = 6;

export function createEvidenceStore(): EvidenceStore {
  return new Map();
}

export function isActive(item: EvidenceItem, at: number): boolean {
  return item.expiresAt === null || at < item.expiresAt;
}

/** One finding per kind, source and signal within a scope. */
const keyOf = (item: { kind: string; source: string; signal: string }): string => `${item.kind}|${item.source}|${item.signal}`;

/**
 * Adds a finding, or keeps an ongoing one alive: the same kind, source and signal seen
 * again extends its window and, only when it now says something different, cites the
 * new event. Returns the stored item.
 */
export function recordObservation(store: EvidenceStore, scope: Scope, seen: Observation, windowMs: number | null): EvidenceItem {
  const key = keyOf(seen);
  const items = store.get(scope) ?? new Map<string, EvidenceItem>();
  store.set(scope, items);
  const existing = items.get(key);
  const expiry = (lastAt: number) => (windowMs === null ? null : lastAt + windowMs);
  if (existing !== undefined && isActive(existing, seen.at)) {
    existing.lastAt = Math.max(existing.lastAt, seen.at);
    existing.expiresAt = expiry(existing.lastAt);
    existing.atNight ||= seen.atNight;
    if (seen.summary !== existing.summary) {
      existing.summary = seen.summary;
      if (!existing.eventIds.includes(seen.eventId)) {
        existing.eventIds.push(seen.eventId);
        if (existing.eventIds.length > MAX_EVENT_IDS) existing.eventIds.splice(1, 1);
      }
    }
    return existing;
  }
  const item: EvidenceItem = {
    id: `${scope}#${key}`,
    scope,
    kind: seen.kind,
    source: seen.source,
    signal: seen.signal,
    summary: seen.summary,
    eventIds: [seen.eventId],
    firstAt: seen.at,
    lastAt: seen.at,
    expiresAt: expiry(seen.at),
    atNight: seen.atNight,
  };
  items.set(key, item);
  return item;
}

// A whole device back also ends the findings of its parts (`rd-a#2`: antenna 2 of rd-a);
// ids are topic-safe, so they never contain '#' themselves.
function isFrom(itemSource: string, clearingSource: string): boolean {
  return itemSource === clearingSource || itemSource.startsWith(`${clearingSource}#`);
}

/** Removes the findings a clearing event withdraws and returns them. */
export function applyClearing(store: EvidenceStore, clearing: Clearing): EvidenceItem[] {
  const removed: EvidenceItem[] = [];
  const scopes = clearing.scope === undefined ? [...store.keys()] : [clearing.scope];
  for (const scope of scopes) {
    const items = store.get(scope);
    if (items === undefined) continue;
    for (const [key, item] of items) {
      if (item.kind !== clearing.kind) continue;
      if (clearing.source !== undefined && !isFrom(item.source, clearing.source)) continue;
      if (clearing.signals !== undefined && !clearing.signals.includes(item.signal)) continue;
      if (item.lastAt > clearing.at) continue;
      items.delete(key);
      removed.push(item);
    }
    if (items.size === 0) store.delete(scope);
  }
  return removed;
}

/** Forgets expired findings no lot holds on to (see FusionRule.holdUntilCleared). */
export function pruneExpired(store: EvidenceStore, at: number, isHeld: (itemId: string) => boolean): void {
  for (const [scope, items] of store) {
    for (const [key, item] of items) if (!isActive(item, at) && !isHeld(item.id)) items.delete(key);
    if (items.size === 0) store.delete(scope);
  }
}

/** Every finding kept, for a snapshot. */
export function evidenceItems(store: EvidenceStore): EvidenceItem[] {
  return [...store.values()].flatMap((items) => [...items.values()]);
}

/** Puts findings of a snapshot back (fusion-snapshot.ts), each under the key recordObservation gives it. */
export function restoreEvidence(store: EvidenceStore, items: readonly EvidenceItem[]): void {
  for (const item of items) {
    const scoped = store.get(item.scope) ?? new Map<string, EvidenceItem>();
    store.set(item.scope, scoped);
    scoped.set(keyOf(item), item);
  }
}

/** Drops a whole scope (a lot no longer pledged). */
export function dropScope(store: EvidenceStore, scope: Scope): void {
  store.delete(scope);
}

/** The findings that count for a lot now: active in its scopes, or held by its current verdict. */
export function findingsFor(store: EvidenceStore, scopes: readonly Scope[], at: number, held: ReadonlySet<string>): EvidenceItem[] {
  const found: EvidenceItem[] = [];
  for (const scope of scopes) {
    for (const item of store.get(scope)?.values() ?? []) if (isActive(item, at) || held.has(item.id)) found.push(item);
  }
  return found;
}
