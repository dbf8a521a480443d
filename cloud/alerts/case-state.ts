/**
 * The case workflow as data (issue 8): head office acknowledges a warning, the branch
 * near the warehouse investigates and reports back with a finding.
 *
 *   open ──acknowledge──▶ acknowledged ──investigate──▶ investigating ──resolve──▶ resolved
 *                              └──────────────resolve (e.g. an evident false alarm)───▶
 *
 * Resolved is final: a new trigger on the same lot opens a new case, so the history of
 * the closed one stays as it was decided.
 */
export const CASE_STATUSES = ['open', 'acknowledged', 'investigating', 'resolved'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_ACTIONS = ['acknowledge', 'investigate', 'resolve'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

const TRANSITIONS: Readonly<Record<CaseAction, Partial<Record<CaseStatus, CaseStatus>>>> = {
  acknowledge: { open: 'acknowledged' },
  investigate: { acknowledged: 'investigating' },
  resolve: { acknowledged: 'resolved', investigating: 'resolved' },
};

export type TransitionResult = { ok: true; next: CaseStatus } | { ok: false; reason: string };

export function transition(status: CaseStatus, action: CaseAction): TransitionResult {
  const next = TRANSITIONS[action][status];
  if (next !== undefined) return { ok: true, next };
  const allowed = Object.keys(TRANSITIONS[action]).join(' or ');
  return { ok: false, reason: `cannot ${action} a case that is ${status} (only from ${allowed})` };
}

/** Assigning, commenting, adding evidence and escalating are possible until the case is resolved. */
export function isOpenStatus(status: CaseStatus): boolean {
  return status !== 'resolved';
}

export function isCaseStatus(value: unknown): value is CaseStatus {
  return typeof value === 'string' && (CASE_STATUSES as readonly string[]).includes(value);
}
