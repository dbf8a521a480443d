import { epcHexProblem } from '../../protocol/epc/epc-hex.ts';
import { badRequest } from '../errors.ts';

/**
 * EPCs as stored and compared: uppercase hex (PROTOCOL.md: case-insensitive). Duplicates
 * in one request are refused, since they would make a count of items wrong.
 */
export function normaliseEpcs(epcs: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const raw of epcs) {
    const problem = epcHexProblem(raw);
    if (problem !== undefined) throw badRequest(`EPC ${JSON.stringify(raw.slice(0, 40))}: ${problem}`);
    const epc = raw.toUpperCase();
    if (seen.has(epc)) throw badRequest(`EPC ${epc} is listed twice`);
    seen.add(epc);
  }
  return [...seen];
}
