// Joins the simulator's synthetic platform (firmware-sim/platform) to the cloud's feature
// builder (cloud/credit/features): per observation month, one row per merchant still
// trading at its end, its features then, and whether it defaulted within the horizon.
// Lives outside both components because neither may import the other.
import { merchantFeatures, FEATURE_NAMES, type FeatureRow } from '../cloud/credit/features/merchant-features.ts';
import { monthlyActivity } from '../cloud/credit/features/monthly-activity.ts';
import type { MerchantDrivers } from '../firmware-sim/platform/merchant-drivers.ts';
import { generatePlatform, type PlatformOptions } from '../firmware-sim/platform/synthetic-platform.ts';
import { monthIndex } from '../protocol/credit/month.ts';

export const DEFAULT_HORIZON_MONTHS = 6;

export interface CreditRow extends FeatureRow {
  readonly merchant_id: string;
  readonly defaulted: 0 | 1;
  // Ground truth the row was generated from (not a column of the table).
  readonly drivers: MerchantDrivers;
}

export function syntheticCreditPanel(platform: PlatformOptions, observationMonths: readonly string[], horizon = DEFAULT_HORIZON_MONTHS): Map<string, CreditRow[]> {
  const panel = new Map(observationMonths.map((m) => [m, [] as CreditRow[]]));
  for (const merchant of generatePlatform(platform)) {
    const history = {
      openedAt: merchant.record.openedAt,
      activity: monthlyActivity(merchant.transactions),
      ...(merchant.drivers.borrows ? { repayments: merchant.repayments } : {}),
      incidents: merchant.incidents,
    };
    const defaultAt = merchant.defaultMonth === null ? null : monthIndex(merchant.defaultMonth);
    for (const [month, rows] of panel) {
      const at = monthIndex(month);
      if (defaultAt !== null && defaultAt <= at) continue;
      rows.push({
        merchant_id: merchant.record.merchantId,
        ...merchantFeatures(history, month),
        defaulted: defaultAt !== null && defaultAt <= at + horizon ? 1 : 0,
        drivers: merchant.drivers,
      });
    }
  }
  return panel;
}

export const CREDIT_CSV_COLUMNS = ['merchant_id', ...FEATURE_NAMES, 'defaulted'] as const;
