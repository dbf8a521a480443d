import type { CaseSeverity } from '../alerts/case-sla.ts';
import type { CommodityClassId } from '../valuation/commodity-classes.ts';

/**
 * The early-warning rules as data (issue 22): each names its threshold and the severity
 * of the case it opens, so a bank's risk policy is a different value of this object, not
 * different code. Thresholds are decimal strings (compared with decimal.js).
 */
export interface WarningRules {
  /** |ln(price / previous close)| ≥ k·σ_daily: a move beyond k standard deviations within a day. */
  readonly priceMove: { readonly k: string; readonly severity: CaseSeverity };
  /** σ with today's price taken as the close ≥ ratio × σ of the completed days. */
  readonly volatilityJump: { readonly ratio: string; readonly severity: CaseSeverity };
  /** A series whose last price is older than its expected interval (strictly). */
  readonly stalePrice: { readonly defaultIntervalMs: number; readonly intervalMs: Readonly<Record<string, number>>; readonly severity: CaseSeverity };
  /** The facility LTV levels (the facility's own thresholds) and the severity each opens a case with. */
  readonly ltvLevels: { readonly warning: CaseSeverity; readonly marginCall: CaseSeverity; readonly liquidation: CaseSeverity };
  /**
   * Forward look: the LTV after a one-day adverse move of z·σ·√horizonDays on every
   * commodity at once; at or above the margin-call threshold (while today's is below it)
   * the facility goes on the watch list.
   */
  readonly forwardLook: { readonly z: string; readonly horizonDays: number; readonly severity: CaseSeverity };
  /** Fewer daily returns than this and σ is the class's conservative default, not the estimate. */
  readonly minReturns: number;
  /** σ_daily assumed per commodity class until enough returns exist (conservative-sigma.ts). */
  readonly defaultSigmaDaily: Readonly<Record<CommodityClassId, string>>;
}

// Conservative daily σ per class, used while a series has too few returns to estimate its
// own: about the high end of what these markets show in a calm year (base metals and
// grains ≈ 1.5–2 % a day, softs and fuels ≈ 2–3 %), so a new series warns early rather
// than never. Zero would make every k·σ rule fire on any move and the forward look blind.
export const CONSERVATIVE_SIGMA_DAILY: Readonly<Record<CommodityClassId, string>> = {
  precious_metals: '0.015',
  base_metals: '0.02',
  agricultural_bulk: '0.02',
  softs: '0.03',
  fuels: '0.03',
  other: '0.04',
};

/**
 * Defaults. k = 3: a 3σ daily move happens about once a year by chance under normality
 * (more often in fat-tailed commodity markets), so it is news without being noise. A σ
 * 1.5 times its recent level is a regime change. z = 2.33 is the one-sided 99 % normal
 * quantile (RiskMetrics' one-day 99 % VaR). Prices are expected at least daily.
 */
export const DEFAULT_WARNING_RULES: WarningRules = {
  priceMove: { k: '3', severity: 'warning' },
  volatilityJump: { ratio: '1.5', severity: 'warning' },
  stalePrice: { defaultIntervalMs: 26 * 3_600_000, intervalMs: {}, severity: 'warning' },
  ltvLevels: { warning: 'warning', marginCall: 'critical', liquidation: 'critical' },
  forwardLook: { z: '2.33', horizonDays: 1, severity: 'warning' },
  minReturns: 10,
  defaultSigmaDaily: CONSERVATIVE_SIGMA_DAILY,
};
