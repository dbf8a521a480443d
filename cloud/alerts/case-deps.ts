import type { PrismaClient } from '../db/generated/client.ts';
import type { TenantDirectory } from '../sites/tenant-directory.ts';
import type { CaseNotifier } from './case-notifier.ts';
import type { SlaPolicy } from './case-sla.ts';

/** What every part of the alerts domain is built from; the clock is injected for tests. */
export interface CaseDeps {
  readonly prisma: PrismaClient;
  readonly directory: TenantDirectory;
  readonly notifier: CaseNotifier;
  readonly now: () => Date;
  readonly sla: SlaPolicy;
}

/** Evidence the system attaches by itself stops here; later triggers only count (occurrences). */
export const MAX_AUTOMATIC_EVIDENCE = 200;
