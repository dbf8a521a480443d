/**
 * GS1 check digit (GS1 General Specifications §7.9.1): weights 3 and 1 alternate from
 * the rightmost data digit, and the check digit tops the sum up to a multiple of ten.
 */
export function gs1CheckDigit(digits: string): number {
  let sum = 0;
  let weight = 3;
  for (let i = digits.length - 1; i >= 0; i--) {
    sum += (digits.charCodeAt(i) - 48) * weight;
    weight = 4 - weight;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * GTIN-14 of an SGTIN (GS1 TDS §7, SGTIN to GTIN): the indicator digit (first digit of the EPC item
 * reference), the company prefix, the rest of the item reference, then the check digit.
 */
export function sgtinToGtin14(companyPrefix: string, itemReference: string): string {
  const body = itemReference.slice(0, 1) + companyPrefix + itemReference.slice(1);
  return body + String(gs1CheckDigit(body));
}
