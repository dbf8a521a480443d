// Reason codes as adverse-action notices give them: the characteristics where the
// applicant lost the most points against the best attribute of the same characteristic
// (the "maximum points" method), largest loss first. A characteristic where the
// applicant already has the best attribute is never a reason.
export interface Contribution {
  readonly feature: string;
  readonly bin: string;
  readonly points: number;
  readonly bestPoints: number;
}

export interface ReasonCode {
  readonly feature: string;
  readonly bin: string;
  readonly pointsLost: number;
}

export function reasonCodes(contributions: readonly Contribution[], count = 4): ReasonCode[] {
  return contributions
    .map((c) => ({ feature: c.feature, bin: c.bin, pointsLost: c.bestPoints - c.points }))
    .filter((r) => r.pointsLost > 1e-9)
    .sort((a, b) => b.pointsLost - a.pointsLost || a.feature.localeCompare(b.feature))
    .slice(0, count);
}
