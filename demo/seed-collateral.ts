import type { Logger } from '../infra/logger.ts';
import type { Database } from '../cloud/db/database.ts';
import type { SiteConfig } from '../protocol/index.ts';
import type { LotManifest } from '../firmware-sim/index.ts';

/**
 * Receipts for the simulated lots, pledged under a demo facility, with prices, so the
 * lender sees collateral at work. Filled in once the collateral domain lands.
 */
export async function seedCollateral(_db: Database, input: { site: SiteConfig; lots: readonly LotManifest[]; log: Logger }): Promise<void> {
  input.log.info({ lots: input.lots.length }, 'simulated lots ready');
}
