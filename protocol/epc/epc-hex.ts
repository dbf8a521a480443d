/** The Gen2 PC word gives the EPC length in a 5-bit count of 16-bit words: at most 31 words, 496 bits. */
export const MAX_EPC_BITS = 496;

const HEX = /^[0-9A-Fa-f]+$/;

/** Why `hex` is not an EPC in hex, or undefined when it is one. */
export function epcHexProblem(hex: unknown): string | undefined {
  if (typeof hex !== 'string') return `EPC must be a hex string, got ${hex === null ? 'null' : typeof hex}`;
  if (hex.length === 0) return 'EPC is empty';
  if (hex.length > MAX_EPC_BITS / 4) return `EPC of ${hex.length * 4} bits exceeds ${MAX_EPC_BITS} bits`;
  if (!HEX.test(hex)) return `EPC must be hex digits, got ${JSON.stringify(hex.length > 40 ? `${hex.slice(0, 40)}…` : hex)}`;
  if (hex.length % 2 !== 0) return `EPC hex has odd length ${hex.length}; EPCs are whole bytes`;
  return undefined;
}

/**
 * `text` in a string of its own. V8 keeps a substring of 13 or more characters as a view
 * of the string it was cut from, so an EPC cut from a payload and kept in a cache would
 * keep the whole payload alive; caches store copies.
 */
export function detached(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

export function isEpcHex(s: unknown): s is string {
  return epcHexProblem(s) === undefined;
}
