import type { Prisma, PrismaClient } from '../db/generated/client.ts';
import type { CaseOpener } from '../alerts/case-opener.ts';
import { triggerOf, type FindingScope } from './case-of-finding.ts';
import { CLEAR, type Finding } from './finding.ts';

export interface ScopedFinding {
  readonly finding: Finding;
  readonly scope: FindingScope;
}

export interface SinkOutcome {
  readonly raised: number;
  readonly cleared: number;
}

export type ResolveCase = (caseId: string, note: string, at: Date) => Promise<void>;

const ACTOR = 'system:early-warning';

/**
 * Turns findings into cases: a finding whose level differs from the one stored for its
 * rule and subject opens (or joins) a case with its numbers; one that clears records it
 * and, for conditions that clear themselves, resolves the case. Unchanged levels cost
 * nothing but the one query that loads every stored state, so a tick over thousands of
 * facilities writes only what moved.
 */
export function createWarningSink(deps: { prisma: PrismaClient; raise: CaseOpener; resolve: ResolveCase }) {
  return async function apply(items: readonly ScopedFinding[], now: Date): Promise<SinkOutcome> {
    if (items.length === 0) return { raised: 0, cleared: 0 };
    const stored = await deps.prisma.$queryRawUnsafe<{ subject: string; rule: string; level: string; case_id: string | null }[]>(
      `SELECT s.subject, s.rule, s.level, s.case_id::text AS case_id FROM warning_state s
       JOIN unnest($1::text[], $2::text[]) AS k(subject, rule) ON k.subject = s.subject AND k.rule = s.rule`,
      items.map((i) => i.finding.subject),
      items.map((i) => i.finding.rule),
    );
    const known = new Map(stored.map((s) => [`${s.subject}\u0000${s.rule}`, s] as const));
    let raised = 0;
    let cleared = 0;
    for (const { finding, scope } of items) {
      const before = known.get(`${finding.subject}\u0000${finding.rule}`);
      const beforeLevel = before?.level ?? CLEAR;
      if (beforeLevel === finding.level) continue;
      let caseId = before?.case_id ?? null;
      if (finding.level !== CLEAR) {
        caseId = (await deps.raise(triggerOf(finding, scope, now), ACTOR)).caseId;
        raised += 1;
      } else {
        cleared += 1;
        if (scope.clearsItself === true && caseId !== null) await deps.resolve(caseId, `cleared: ${finding.rule} back to normal`, now);
      }
      const data = {
        level: finding.level,
        tenantId: scope.tenants[0] ?? null,
        caseId: finding.level === CLEAR && scope.clearsItself === true ? null : caseId,
        numbers: finding.numbers as Prisma.InputJsonValue,
        updatedAt: now,
      };
      await deps.prisma.warningState.upsert({
        where: { subject_rule: { subject: finding.subject, rule: finding.rule } },
        create: { subject: finding.subject, rule: finding.rule, since: now, ...data },
        update: { since: now, ...data },
      });
    }
    return { raised, cleared };
  };
}

export type WarningSink = ReturnType<typeof createWarningSink>;
