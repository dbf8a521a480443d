import type { VerificationEvent } from '../../protocol/index.ts';
import type { ManifestSource, SiteManifest } from '../manifests/manifest.ts';
import { MAX_LOT_STATE_CITES, MAX_LOT_STATE_REASON } from '../../protocol/index.ts';
import type { StageContext } from '../pipeline/stage.ts';
import { DEFAULT_FUSION_RULES } from './default-rules.ts';
import { evaluateRules } from './evaluate-rules.ts';
import { lotScope, zoneScope, type Scope } from './evidence.ts';
import { applyClearing, createEvidenceStore, dropScope, evidenceItems, findingsFor, pruneExpired, recordObservation, restoreEvidence } from './evidence-store.ts';
import { DEFAULT_DWELL_MS, DEFAULT_EVIDENCE_WINDOWS, type EvidenceWindows } from './evidence-windows.ts';
import { eventToEvidence } from './event-to-evidence.ts';
import { buildFusionIndex } from './fusion-index.ts';
import { createFusionMetrics } from './fusion-metrics.ts';
import { restoreSnapshot, takeSnapshot } from './fusion-snapshot.ts';
import type { FusionStateStore } from './fusion-state-file.ts';
import { orderRules, validateRules, type FusionRule } from './fusion-rule.ts';
import { decide, initialStatus, withClearing, type LotStatus } from './lot-decision.ts';
import { STATE_SEVERITY } from './lot-state.ts';
import { buildLotView, viewKey, type LotStateView } from './lot-view.ts';

export interface FusionDeps {
  ctx: StageContext;
  manifests: ManifestSource;
  /** Retained publication on `wh/{site}/gateway/lots/{lotId}`. */
  publishLot: (lotId: string, state: LotStateView) => void;
  /** Removes the retained state of a lot that left the manifest (released or unpledged). */
  clearLot?: (lotId: string) => void;
  /** Defaults to DEFAULT_FUSION_RULES (README "Rules"). */
  rules?: readonly FusionRule[];
  windows?: Partial<EvidenceWindows>;
  dwellMs?: number;
  /** Keeps what fusion knows across restarts; without it fusion starts from nothing each time. */
  state?: FusionStateStore;
}

export interface Fusion {
  /** Every durable event, in chain order; fusion's own `lot.state` events are ignored. */
  observe(event: VerificationEvent): void;
  /** Expires findings and completes dwells; the shell calls it on the pipeline's clock. */
  tick(now: Date): void;
  states(): LotStateView[];
  /** Saves the state one last time and stops following manifest changes. */
  stop(): void;
}

interface TrackedLot {
  lotId: string;
  zone: string;
  status: LotStatus;
  view: LotStateView | undefined;
  publishedKey: string;
}

/**
 * Fusion: the findings of every stage, weighed per pledged lot into verified / degraded /
 * suspect / breached. The core (event-to-evidence, evidence-store, evaluate-rules,
 * lot-decision) is plain functions over plain data with time passed in; this shell holds
 * the state, emits `lot.state` on each change and publishes the retained lot views. It
 * never throws into its caller: the pipeline calls `observe` after an event is durable.
 */
export function createFusion(deps: FusionDeps): Fusion {
  const { ctx } = deps;
  const rules = orderRules(validateRules(deps.rules ?? DEFAULT_FUSION_RULES));
  const windows: EvidenceWindows = { ...DEFAULT_EVIDENCE_WINDOWS, ...deps.windows };
  const dwellMs = deps.dwellMs ?? DEFAULT_DWELL_MS;
  const store = createEvidenceStore();
  const lots = new Map<string, TrackedLot>();
  const metrics = createFusionMetrics(ctx.metrics, () => [...lots.values()].map((l) => l.status.state));
  let index = buildFusionIndex(ctx.site, deps.manifests.current(), ctx.isNight);
  let savedText = '';

  const scopesOf = (lot: TrackedLot): Scope[] => [lotScope(lot.lotId), zoneScope(lot.zone)];

  function publish(lot: TrackedLot, at: Date): void {
    const view = buildLotView(lot, lot.status, findingsFor(store, scopesOf(lot), at.getTime(), lot.status.held), at);
    const key = viewKey(view);
    if (key === lot.publishedKey) return;
    lot.publishedKey = key;
    lot.view = view;
    try {
      deps.publishLot(lot.lotId, view);
    } catch (error) {
      metrics.errors.inc({ step: 'publish' });
      ctx.log.warn({ err: error, lotId: lot.lotId }, 'lot state could not be published');
    }
  }

  function evaluate(lot: TrackedLot, at: Date): void {
    const t = at.getTime();
    const verdict = evaluateRules(rules, findingsFor(store, scopesOf(lot), t, lot.status.held));
    const { status, change } = decide(lot.status, verdict, t, dwellMs);
    lot.status = status;
    if (change !== undefined) {
      metrics.changes.inc({ state: change.state });
      ctx.emit({
        type: 'lot.state',
        severity: STATE_SEVERITY[change.state],
        lotId: lot.lotId,
        zone: lot.zone,
        ts: at.toISOString(),
        evidence: {
          state: change.state,
          previous: change.previous,
          rule: status.rule,
          // Bounded as the protocol bounds them; the newest events are the ones a person opens first.
          reason: status.reason.slice(0, MAX_LOT_STATE_REASON),
          cites: status.cites.slice(-MAX_LOT_STATE_CITES),
          kinds: [...status.kinds],
        },
      });
    }
    publish(lot, at);
  }

  function applyManifest(manifest: SiteManifest, at: Date): void {
    index = buildFusionIndex(ctx.site, manifest, ctx.isNight);
    for (const lotId of [...lots.keys()]) {
      if (index.lots.zones.has(lotId)) continue;
      // No longer pledged: nothing left to guard, and a stale retained state would keep
      // telling local consumers about goods the bank no longer holds.
      lots.delete(lotId);
      dropScope(store, lotScope(lotId));
      try {
        deps.clearLot?.(lotId);
      } catch (error) {
        metrics.errors.inc({ step: 'publish' });
        ctx.log.warn({ err: error, lotId }, 'retained lot state could not be cleared');
      }
    }
    for (const [lotId, zone] of index.lots.zones) {
      const lot = lots.get(lotId);
      if (lot === undefined) lots.set(lotId, { lotId, zone, status: initialStatus(at.getTime()), view: undefined, publishedKey: '' });
      else lot.zone = zone;
    }
    // Every lot is published at least once (retained state must exist for each), already
    // weighed against zone findings a newly pledged lot inherits (a covered camera).
    for (const lot of lots.values()) evaluate(lot, at);
  }

  function guarded(step: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      metrics.errors.inc({ step });
      ctx.log.error({ err: error, step }, 'fusion failed');
    }
  }

  /** Hands the state to the store when it differs from what was saved last. */
  function persist(): void {
    if (deps.state === undefined) return;
    const text = JSON.stringify(takeSnapshot(ctx.site.site, lots.values(), evidenceItems(store)));
    if (text === savedText) return;
    savedText = text;
    deps.state.save(text);
  }

  function resume(): void {
    const initial = deps.state?.initial;
    if (initial === undefined) return;
    if (initial.site !== ctx.site.site) {
      ctx.log.warn({ saved: initial.site }, 'fusion state of another site ignored');
      return;
    }
    const restored = restoreSnapshot(initial);
    restoreEvidence(store, restored.evidence);
    // applyManifest drops the lots no longer pledged; the others resume their status.
    for (const lot of restored.lots) lots.set(lot.lotId, { ...lot, view: undefined, publishedKey: '' });
    ctx.log.info({ lots: restored.lots.length, findings: restored.evidence.length }, 'fusion resumed the state saved before the restart');
  }

  guarded('resume', resume);
  guarded('manifest', () => applyManifest(deps.manifests.current(), ctx.now()));
  const unsubscribe = deps.manifests.onChange((manifest) => guarded('manifest', () => applyManifest(manifest, ctx.now())));

  return {
    observe(event) {
      if (event.type === 'lot.state') return;
      guarded('observe', () => {
        const at = ctx.now();
        const input = eventToEvidence(event, index, at);
        const touched = new Set<Scope>();
        for (const { scope, observation } of input.observations) {
          recordObservation(store, scope, observation, windows[observation.kind]);
          touched.add(scope);
        }
        for (const clearing of input.clearings) {
          for (const item of applyClearing(store, clearing)) {
            touched.add(item.scope);
            for (const lot of lots.values()) {
              if (scopesOf(lot).includes(item.scope)) lot.status = withClearing(lot.status, { eventId: clearing.eventId, summary: clearing.summary });
            }
          }
        }
        for (const lot of lots.values()) if (scopesOf(lot).some((s) => touched.has(s))) evaluate(lot, at);
      });
    },
    tick(now) {
      guarded('tick', () => {
        const held = new Set<string>();
        for (const lot of lots.values()) for (const id of lot.status.held) held.add(id);
        pruneExpired(store, now.getTime(), (id) => held.has(id));
        for (const lot of lots.values()) evaluate(lot, now);
        // Once a tick, not per event: a burst of events costs one snapshot.
        persist();
      });
    },
    states: () => [...lots.values()].flatMap((lot) => (lot.view ? [lot.view] : [])),
    stop() {
      guarded('persist', persist);
      unsubscribe();
    },
  };
}
