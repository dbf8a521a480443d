import fc from 'fast-check';
import type { JsonObject } from '../../protocol/rfid/types.ts';
import * as f from './fixtures.ts';

/** One tag read of each layout the three formats come in. */
export const READ_SAMPLES: readonly JsonObject[] = [f.impinjTagInventory, f.impinjBase64Only, f.impinjHexOnlyNoEventType, f.zebraSimple, f.zebraPortal, f.compactRead];

/** A sample, and its text with its n-th number or string literal (after a key) replaced by one of the given texts. */
export function literalMutation(numberTexts: readonly string[], stringTexts: readonly string[]): fc.Arbitrary<{ sample: JsonObject; text: string }> {
  return fc
    .tuple(fc.constantFrom(...READ_SAMPLES), fc.nat(), fc.boolean(), fc.constantFrom(...numberTexts), fc.constantFrom(...stringTexts))
    .map(([sample, n, numeric, number, string]) => {
      const text = JSON.stringify(sample);
      const literal = numeric ? /:(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g : /:("(?:[^"\\]|\\.)*")/g;
      const spots = [...text.matchAll(literal)];
      const spot = spots[n % Math.max(1, spots.length)];
      if (spot === undefined || spot.index === undefined) return { sample, text };
      const replacement = numeric ? number : `"${string}"`;
      return { sample, text: `${text.slice(0, spot.index + 1)}${replacement}${text.slice(spot.index + 1 + (spot[1]?.length ?? 0))}` };
    });
}
