/**
 * The case kinds a warehouse operator works on: its devices, the storage conditions and
 * an inspection's count once made. Suspected theft, fraud and chain-integrity cases
 * (tags missing, lot states, night-time sounds or weight steps, forged or missing events,
 * goods pledged elsewhere) stay with the banks: a warehouse under investigation must not
 * be tipped off by its own dashboard.
 */
const OPERATIONS_CASE_KINDS: ReadonlySet<string> = new Set(['device.offline', 'watchdog.gateway_silent', 'sensor.out_of_range', 'lot.condition', 'inspection.variance']);

export function concernsOperations(kind: string): boolean {
  return OPERATIONS_CASE_KINDS.has(kind);
}
