import { CLEAR, type Finding } from '../early-warning/finding.ts';
import { silenceSeverity, type SilencePolicy } from './silence.ts';

export interface GatewayContactFacts {
  readonly gatewayId: string;
  readonly siteId: string;
  /** The last batch (a quiet gateway's periodic lot.verified is its heartbeat), or its provisioning when it never sent one. */
  readonly lastSeenAt: Date;
  readonly expectedIntervalMs: number;
}

const minutes = (ms: number): number => Math.round(ms / 60_000);

/** A gateway silent for longer than its expected interval; the level is the severity, so getting worse raises the case. */
export function gatewaySilenceFinding(facts: GatewayContactFacts, now: Date, policy?: SilencePolicy): Finding {
  const silentMs = now.getTime() - facts.lastSeenAt.getTime();
  const severity = silenceSeverity(silentMs, facts.expectedIntervalMs, policy);
  const numbers = { gatewayId: facts.gatewayId, siteId: facts.siteId, lastSeenAt: facts.lastSeenAt.toISOString(), silentMs, expectedIntervalMs: facts.expectedIntervalMs };
  const base = { rule: 'watchdog.gateway_silent' as const, subject: `gateway:${facts.gatewayId}`, numbers };
  if (severity === null) return { ...base, level: CLEAR, severity: null, title: '' };
  return { ...base, level: severity, severity, title: `Gateway ${facts.gatewayId} at ${facts.siteId} silent for ${minutes(silentMs)} min (expected every ${minutes(facts.expectedIntervalMs)} min)` };
}

export interface LotVerificationFacts {
  readonly siteId: string;
  readonly lotId: string;
  readonly receiptNumber: string;
  /** Last verification, or the pledge when the lot was never verified. */
  readonly lastVerifiedAt: Date;
  readonly verifiedBefore: boolean;
  readonly maxAgeMs: number;
}

/** A pledged lot the gateway has not verified for longer than allowed. */
export function lotUnverifiedFinding(facts: LotVerificationFacts, now: Date, policy?: SilencePolicy): Finding {
  const ageMs = now.getTime() - facts.lastVerifiedAt.getTime();
  const severity = silenceSeverity(ageMs, facts.maxAgeMs, policy);
  const numbers = { siteId: facts.siteId, lotId: facts.lotId, receiptNumber: facts.receiptNumber, lastVerifiedAt: facts.verifiedBefore ? facts.lastVerifiedAt.toISOString() : null, ageMs, maxAgeMs: facts.maxAgeMs };
  const base = { rule: 'watchdog.lot_unverified' as const, subject: `lot:${facts.siteId}/${facts.lotId}`, numbers };
  if (severity === null) return { ...base, level: CLEAR, severity: null, title: '' };
  const since = facts.verifiedBefore ? `not verified for ${minutes(ageMs)} min` : `never verified in ${minutes(ageMs)} min since pledged`;
  return { ...base, level: severity, severity, title: `Pledged lot ${facts.lotId} at ${facts.siteId} ${since} (allowed ${minutes(facts.maxAgeMs)} min)` };
}
