/**
 * Who may do what. Banks' staff are lenders, risk officers (head office) and branch
 * investigators; borrowers are the enterprises drawing on their facilities.
 */
export const ROLES = ['lender', 'risk_officer', 'branch_investigator', 'warehouse_operator', 'admin', 'borrower'] as const;
export type Role = (typeof ROLES)[number];

export const TENANT_KINDS = ['bank', 'warehouse_operator', 'platform', 'borrower'] as const;
export type TenantKind = (typeof TENANT_KINDS)[number];

/** The authenticated caller, from a verified JWT. */
export interface Principal {
  userId: string;
  tenantId: string;
  role: Role;
  email: string;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Administrators see every tenant; everyone else only their own. Repositories call this
 * to build their tenant filter, so a resource of another tenant is simply not found (404).
 */
export function tenantScope(principal: Principal): string | undefined {
  return principal.role === 'admin' ? undefined : principal.tenantId;
}
