import { Dec, sumDec, toPlain } from './decimal.ts';
import { computeConcentration, type ConcentrationConfig, type ConcentrationGroup } from './concentration.ts';
import {
  valueReceipt,
  type ReceiptValuation,
  type ReceiptValuationError,
  type ReceiptValuationInput,
} from './value-receipt.ts';

export interface CollateralValuationInput {
  // The facility's currency. Receipts priced in another currency are rejected: FX
  // conversion is a separate, explicit step the caller makes before valuation.
  readonly currency: string;
  readonly receipts: readonly ReceiptValuationInput[];
  readonly concentration?: ConcentrationConfig;
}

export type CollateralRejection =
  | ReceiptValuationError
  | { readonly receiptId: string; readonly code: 'currency_mismatch'; readonly message: string };

export interface CollateralValuation {
  readonly currency: string;
  readonly receipts: readonly ReceiptValuation[];
  // Receipts that could not be valued count for nothing and are listed with the reason,
  // so a bad record lowers availability instead of raising it or failing the facility.
  readonly rejected: readonly CollateralRejection[];
  readonly concentration: readonly ConcentrationGroup[];
  readonly totals: {
    readonly grossValue: string;
    readonly valueBeforeConcentration: string;
    readonly concentrationReserve: string;
    readonly collateralValue: string;
    readonly haircutAmount: string;
    readonly lendingValue: string;
  };
}

// Values every receipt pledged to one facility, applying the facility's concentration
// limits across them.
export function valueCollateral(input: CollateralValuationInput): CollateralValuation {
  const rejected: CollateralRejection[] = [];
  const firstPass: { input: ReceiptValuationInput; valuation: ReceiptValuation }[] = [];
  for (const receipt of input.receipts) {
    if (receipt.price.currency !== input.currency) {
      rejected.push({
        receiptId: receipt.receiptId,
        code: 'currency_mismatch',
        message: `priced in ${receipt.price.currency}, facility is in ${input.currency}`,
      });
      continue;
    }
    const result = valueReceipt(receipt);
    if (result.ok) firstPass.push({ input: receipt, valuation: result.valuation });
    else rejected.push(result.error);
  }

  const concentration = computeConcentration(
    firstPass.map(({ valuation: v }) => ({
      receiptId: v.receiptId,
      commodity: v.commodity,
      warehouseId: v.warehouseId,
      value: v.valueBeforeConcentration,
    })),
    input.concentration ?? {},
  );

  const receipts: ReceiptValuation[] = [];
  for (const { input: receipt, valuation } of firstPass) {
    const allocation = concentration.allocations.get(receipt.receiptId);
    if (allocation === undefined) {
      receipts.push(valuation);
      continue;
    }
    const result = valueReceipt(receipt, allocation);
    if (result.ok) receipts.push(result.valuation);
    else rejected.push(result.error);
  }

  const total = (pick: (v: ReceiptValuation) => string): string => toPlain(sumDec(receipts.map((v) => new Dec(pick(v)))));
  return {
    currency: input.currency,
    receipts,
    rejected,
    concentration: concentration.groups,
    totals: {
      grossValue: total((v) => v.grossValue),
      valueBeforeConcentration: total((v) => v.valueBeforeConcentration),
      concentrationReserve: total((v) => v.concentrationReserve),
      collateralValue: total((v) => v.collateralValue),
      haircutAmount: total((v) => v.haircutAmount),
      lendingValue: total((v) => v.lendingValue),
    },
  };
}
