import { FEATURE_NAMES } from '../../cloud/credit/features/merchant-features.ts';
import { trainScorecard, type TrainedScorecard } from '../../cloud/credit/model/trained-scorecard.ts';
import type { SyntheticMerchant } from '../../firmware-sim/platform/synthetic-platform.ts';
import { syntheticCreditPanel } from '../../scripts/synthetic-credit-table.ts';

/** The scorecard the credit tests load into the cloud: trained on 700 synthetic merchants' December 2024, 3 folds. */
export function trainSyntheticScorecard(): TrainedScorecard {
  const rows = syntheticCreditPanel({ seed: 21, merchants: 700, start: '2024-01', months: 18, historyMonths: 12 }, ['2024-12']).get('2024-12') ?? [];
  return trainScorecard(
    { columns: FEATURE_NAMES.map((name) => ({ name, kind: 'numeric' as const, values: Float64Array.from(rows, (r) => r[name]) })), target: Uint8Array.from(rows, (r) => r.defaulted) },
    'defaulted',
    { folds: 3, seed: 1, now: new Date('2025-01-01T00:00:00Z') },
  );
}

/** How healthy a synthetic merchant's drivers are (higher is better): the tests pick their strong and weak merchants by it. */
export function merchantHealth(m: SyntheticMerchant): number {
  return -Math.log(m.drivers.refundRate) + Math.log(m.drivers.customers) + 20 * m.drivers.growth + m.drivers.size - m.incidents.length;
}
