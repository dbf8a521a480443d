import type { Role, TenantKind } from './principal.ts';

/**
 * Which roles a tenant's users may hold: banks employ lenders, risk officers (head
 * office) and branch investigators; warehouse operators their staff; the platform
 * its administrators; a borrowing enterprise its own users. A lender inside a warehouse company would see banks' cases.
 */
const ROLES_BY_KIND: Readonly<Record<TenantKind, readonly Role[]>> = {
  bank: ['lender', 'risk_officer', 'branch_investigator'],
  warehouse_operator: ['warehouse_operator'],
  platform: ['admin'],
  borrower: ['borrower'],
};

export function roleFitsTenant(role: Role, kind: TenantKind): boolean {
  return ROLES_BY_KIND[kind].includes(role);
}

export function rolesFor(kind: TenantKind): readonly Role[] {
  return ROLES_BY_KIND[kind];
}
