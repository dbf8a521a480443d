// Fusion's public surface, for the composition root and tests.
export { createFusion, type Fusion, type FusionDeps } from './create-fusion.ts';
export { createFusionObserver, type FusionObserver } from './fusion-observer.ts';
export type { LotStateView, KindSummary } from './lot-view.ts';
export { LOT_STATES, type LotState } from './lot-state.ts';
export { EVIDENCE_KINDS, type EvidenceKind } from './evidence.ts';
export { FusionRuleError, type FusionRule, type RuleConditions, type SignalMatch } from './fusion-rule.ts';
export { DEFAULT_FUSION_RULES } from './default-rules.ts';
export { DEFAULT_EVIDENCE_WINDOWS, DEFAULT_DWELL_MS, type EvidenceWindows } from './evidence-windows.ts';
