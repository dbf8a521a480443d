import type { Principal } from '../auth/principal.ts';

/** The audit trail's actor for a user (audit-log.ts: `user:<uuid>`). */
export function userActor(principal: Principal): string {
  return `user:${principal.userId}`;
}

export const BANK_STAFF = ['lender', 'risk_officer'] as const;
export const BANK_READERS = ['lender', 'risk_officer', 'branch_investigator', 'admin'] as const;
