import type { CaseStatus } from './case-state.ts';

export const CASE_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type CaseSeverity = (typeof CASE_SEVERITIES)[number];

export interface SlaPolicy {
  /** From opening to acknowledgement by head office. */
  readonly acknowledgeMs: Readonly<Record<CaseSeverity, number>>;
  /** From opening to resolution by the branch. */
  readonly resolveMs: Readonly<Record<CaseSeverity, number>>;
  /** Escalations per case; past the last one a case stays overdue without new alarms. */
  readonly maxEscalations: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Defaults (README, "Alert cases"). Critical means goods may be leaving now: head office
 * looks within 15 minutes and the branch reports the same business day (4 h). Warnings
 * get an hour and a day, information 8 hours and three days. Each missed deadline
 * escalates once: severity rises a step and the next deadline is one stage window away.
 */
export const DEFAULT_SLA: SlaPolicy = {
  acknowledgeMs: { critical: 15 * MINUTE, warning: HOUR, info: 8 * HOUR },
  resolveMs: { critical: 4 * HOUR, warning: 24 * HOUR, info: 72 * HOUR },
  maxEscalations: 3,
};

export function raiseSeverity(severity: CaseSeverity): CaseSeverity {
  return severity === 'info' ? 'warning' : 'critical';
}

export function maxSeverity(a: CaseSeverity, b: CaseSeverity): CaseSeverity {
  return CASE_SEVERITIES.indexOf(a) >= CASE_SEVERITIES.indexOf(b) ? a : b;
}

function stageWindow(status: CaseStatus, severity: CaseSeverity, policy: SlaPolicy): number | undefined {
  if (status === 'resolved') return undefined;
  return status === 'open' ? policy.acknowledgeMs[severity] : policy.resolveMs[severity];
}

/** The deadline of the stage a case is in, counted from its opening; null once resolved. */
export function deadlineFor(input: { status: CaseStatus; severity: CaseSeverity; openedAt: Date }, policy: SlaPolicy = DEFAULT_SLA): Date | null {
  const window = stageWindow(input.status, input.severity, policy);
  return window === undefined ? null : new Date(input.openedAt.getTime() + window);
}

/** The earlier of two deadlines: a case does not buy time by getting worse. */
export function earlier(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.getTime() <= b.getTime() ? a : b;
}

export interface Escalation {
  level: number;
  severity: CaseSeverity;
  dueAt: Date;
}

/** What a missed deadline does to a case at `now`, or null when nothing is due. */
export function planEscalation(
  input: { status: CaseStatus; severity: CaseSeverity; dueAt: Date | null; escalationLevel: number },
  now: Date,
  policy: SlaPolicy = DEFAULT_SLA,
): Escalation | null {
  if (input.status === 'resolved' || input.dueAt === null) return null;
  if (now.getTime() < input.dueAt.getTime()) return null;
  if (input.escalationLevel >= policy.maxEscalations) return null;
  const severity = raiseSeverity(input.severity);
  const window = stageWindow(input.status, severity, policy) ?? 0;
  return { level: input.escalationLevel + 1, severity, dueAt: new Date(now.getTime() + window) };
}

export function isOverdue(dueAt: Date | null, now: Date): boolean {
  return dueAt !== null && now.getTime() >= dueAt.getTime();
}
