/**
 * SGTIN partition table, GS1 EPC Tag Data Standard §14.5.1 (Table 14-2): for each
 * partition value the bit and digit widths of the GS1 Company Prefix and of the
 * indicator digit + item reference. Company and item digits always add up to 13.
 * Partition 7 is not assigned and must not decode.
 */
export interface Sgtin96Partition {
  readonly companyBits: number;
  readonly companyDigits: number;
  readonly itemBits: number;
  readonly itemDigits: number;
}

export const SGTIN96_PARTITIONS: readonly Sgtin96Partition[] = [
  { companyBits: 40, companyDigits: 12, itemBits: 4, itemDigits: 1 },
  { companyBits: 37, companyDigits: 11, itemBits: 7, itemDigits: 2 },
  { companyBits: 34, companyDigits: 10, itemBits: 10, itemDigits: 3 },
  { companyBits: 30, companyDigits: 9, itemBits: 14, itemDigits: 4 },
  { companyBits: 27, companyDigits: 8, itemBits: 17, itemDigits: 5 },
  { companyBits: 24, companyDigits: 7, itemBits: 20, itemDigits: 6 },
  { companyBits: 20, companyDigits: 6, itemBits: 24, itemDigits: 7 },
];

/** EPC header for SGTIN-96 (GS1 TDS §14.2, Table 14-1). */
export const SGTIN96_HEADER = 0x30;
export const SGTIN96_BITS = 96;
export const SGTIN96_SERIAL_BITS = 38;
export const SGTIN96_FILTER_BITS = 3;
export const SGTIN96_PARTITION_BITS = 3;
/** Company prefix + item reference share 44 bits in every partition. */
export const SGTIN96_COMPANY_ITEM_BITS = 44;
