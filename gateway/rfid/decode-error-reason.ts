/** A stable, low-cardinality label for a normaliser error line (protocol/rfid), for metrics. */
export function decodeErrorReason(error: string): string {
  const e = error.toLowerCase();
  if (e.includes('json')) return 'bad_json';
  if (e.includes('base64')) return 'bad_base64';
  if (e.includes('epc') || e.includes('hex')) return 'bad_epc';
  if (e.includes('date-time') || e.includes('timestamp')) return 'bad_timestamp';
  if (e.includes('not an impinj, zebra or compact')) return 'unknown_format';
  if (e.includes('utf-8') || e.includes('bytes exceeds')) return 'bad_payload';
  return 'bad_shape';
}

/** The normaliser keeps 100 error lines and sums up the rest in one; those are counted, not classified. */
const REST = /^… and (\d+) more errors$/;

export function countDecodeErrors(errors: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const error of errors) {
    const rest = REST.exec(error);
    const reason = rest ? 'unclassified' : decodeErrorReason(error);
    counts.set(reason, (counts.get(reason) ?? 0) + (rest ? Number(rest[1]) : 1));
  }
  return counts;
}
