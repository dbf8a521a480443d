import type { CaseSeverity } from '../alerts/case-sla.ts';

export const TOPICS = ['case', 'margin_call', 'report', 'escalation'] as const;
export type Topic = (typeof TOPICS)[number];

/** Something people may want to hear about, for the tenants it concerns. */
export interface Notice {
  readonly topic: Topic;
  readonly severity: CaseSeverity;
  readonly tenants: readonly string[];
  /** One line: the email subject. */
  readonly subject: string;
  /** A few lines of plain text: the email body. */
  readonly text: string;
  /** The machine-readable payload of the webhook. */
  readonly data: Readonly<Record<string, unknown>>;
  /** For escalations: the roles of the next level, who hear of it by their account email too. */
  readonly escalateTo?: readonly string[];
}

interface CaseLike {
  readonly id: string;
  readonly reference: string;
  readonly kind: string;
  readonly title: string;
  readonly severity: CaseSeverity;
  readonly status: string;
  readonly escalationLevel: number;
  readonly detail: Readonly<Record<string, unknown>>;
}

/**
 * Who is the next level when a case's deadline passes: the branch works it, head office
 * (risk officers) is told at the first escalation, the platform's administrators after.
 */
export const ESCALATION_CHAIN: readonly (readonly string[])[] = [['branch_investigator'], ['risk_officer'], ['risk_officer', 'admin']];

function numbersText(detail: Readonly<Record<string, unknown>>): string {
  const numbers = detail.numbers;
  if (numbers === null || typeof numbers !== 'object') return '';
  return Object.entries(numbers as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `  ${k}: ${String(v)}`)
    .join('\n');
}

function caseLike(data: unknown): CaseLike | undefined {
  const c = data as Partial<CaseLike> | null;
  return c !== null && typeof c === 'object' && typeof c.id === 'string' && typeof c.kind === 'string' && typeof c.title === 'string' ? (c as CaseLike) : undefined;
}

/**
 * The notices a live message stands for: a case opened (topic case; a margin-call case
 * also topic margin_call), a case escalated (topic escalation, to the next level), a
 * margin call's transitions (topic margin_call). Updates and resolutions are on the
 * dashboard, not in people's inboxes.
 */
export function noticesOf(event: string, data: unknown, tenants: readonly string[]): Notice[] {
  if (event === 'case.opened' || event === 'case.escalated') {
    const c = caseLike(data);
    if (c === undefined) return [];
    const numbers = numbersText(c.detail);
    const text = `${c.title}\n\nCase ${c.reference} (${c.kind}), severity ${c.severity}, ${c.status}.${numbers ? `\n\n${numbers}` : ''}`;
    const payload = { event, case: { id: c.id, reference: c.reference, kind: c.kind, title: c.title, severity: c.severity, status: c.status, escalationLevel: c.escalationLevel, detail: c.detail } };
    if (event === 'case.escalated') {
      const next = ESCALATION_CHAIN[Math.min(c.escalationLevel, ESCALATION_CHAIN.length - 1)] ?? [];
      return [{ topic: 'escalation', severity: c.severity, tenants, subject: `[escalated ${c.escalationLevel}] ${c.reference}: ${c.title}`, text, data: payload, escalateTo: next }];
    }
    const notices: Notice[] = [{ topic: 'case', severity: c.severity, tenants, subject: `[${c.severity}] ${c.reference}: ${c.title}`, text, data: payload }];
    if (c.kind.startsWith('facility.margin_call')) notices.push({ topic: 'margin_call', severity: c.severity, tenants, subject: `[margin call] ${c.title}`, text, data: payload });
    return notices;
  }
  return [];
}

export function reportNotice(input: { tenantId: string; site: string; day: string; reportId: string; lots: number; lotsWithVariance: number }): Notice {
  return {
    topic: 'report',
    severity: input.lotsWithVariance > 0 ? 'warning' : 'info',
    tenants: [input.tenantId],
    subject: `Daily report ${input.site} ${input.day}: ${input.lots} lots, ${input.lotsWithVariance} with variance`,
    text: `The daily stock, movement and variance report of site ${input.site} for ${input.day} is ready: ${input.lots} lots, ${input.lotsWithVariance} with a variance.\nDownload: /api/v1/reports/stored/${input.reportId}?format=csv (or format=html to print).`,
    data: { event: 'report.ready', reportId: input.reportId, site: input.site, day: input.day, lots: input.lots, lotsWithVariance: input.lotsWithVariance },
  };
}
