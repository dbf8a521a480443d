import type { CaseSeverity } from '../alerts/case-sla.ts';

/**
 * Severity by how long something has been silent, in multiples of its expected interval:
 * one interval is a warning, four a critical (a gateway down for its whole night watch).
 */
export interface SilencePolicy {
  readonly steps: readonly { readonly multiple: number; readonly severity: CaseSeverity }[];
}

export const DEFAULT_SILENCE_POLICY: SilencePolicy = {
  steps: [
    { multiple: 1, severity: 'warning' },
    { multiple: 4, severity: 'critical' },
  ],
};

/** The severity of a silence of `silentMs` (strictly longer than a step's multiple), or null while within the interval. */
export function silenceSeverity(silentMs: number, intervalMs: number, policy: SilencePolicy = DEFAULT_SILENCE_POLICY): CaseSeverity | null {
  let severity: CaseSeverity | null = null;
  for (const step of policy.steps) if (silentMs > step.multiple * intervalMs) severity = step.severity;
  return severity;
}
