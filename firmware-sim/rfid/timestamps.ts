/**
 * Timestamp text for reader payloads. Readers stamp hundreds of reads per round, nearly
 * all within the same second, so the date-time prefix is formatted once per second.
 */
let cachedSecond = Number.NaN;
let cachedPrefix = '';

function secondPrefix(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 19);
  }
  return cachedPrefix;
}

function pad3(n: number): string {
  return n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n);
}

/** ISO 8601 with microseconds, as Impinj readers write (`2024-03-12T01:23:45.123456Z`). */
export function isoMicro(ms: number, micro: number): string {
  const whole = Math.floor(ms);
  return `${secondPrefix(whole)}.${pad3(((whole % 1000) + 1000) % 1000)}${pad3(Math.floor(micro) % 1000)}Z`;
}

/** Zebra IoT Connector style: milliseconds and a basic-format offset (`…27.350+0000`). */
export function isoZebra(ms: number): string {
  const whole = Math.floor(ms);
  return `${secondPrefix(whole)}.${pad3(((whole % 1000) + 1000) % 1000)}+0000`;
}

/** Plain ISO 8601 UTC with milliseconds. */
export function isoMillis(ms: number): string {
  const whole = Math.floor(ms);
  return `${secondPrefix(whole)}.${pad3(((whole % 1000) + 1000) % 1000)}Z`;
}
