import { ConfigError, readIntSetting, readUrlSetting } from '../../infra/config-error.ts';
import { loadFeeds, type FeedConfig } from '../market-data/feed-config.ts';
import { CUTOFF_PATTERN, cutoffMinutes } from '../scheduled-reports/cutoff-time.ts';

export interface EarlyWarningConfig {
  /** How often the watchdogs run (gateway silence, unverified lots, stale prices). */
  readonly watchdogIntervalMs: number;
  /** How often the job runner looks for due slots; 0 turns the timers off (tests drive the jobs). */
  readonly jobPollMs: number;
  readonly gatewaySilenceMs: number;
  readonly lotVerifyMaxAgeMs: number;
  /** A price older than this is stale, unless its feed says otherwise. */
  readonly priceStaleMs: number;
  readonly feeds: readonly FeedConfig[];
  /** Bearer token of the market-data service pushing prices; the push endpoint is closed without one. */
  readonly marketDataToken: string | undefined;
  /** smtp:// or smtps:// URL of the mail relay; without one, email notifications wait in the queue. */
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** Local time of the bank's daily cut-off, minutes after midnight, when the daily reports are made. */
  readonly reportCutoffMinutes: number;
}

function readCutoff(env: NodeJS.ProcessEnv): number {
  const raw = env.REPORT_CUTOFF?.trim();
  if (raw === undefined || raw === '') return 18 * 60;
  if (!new RegExp(CUTOFF_PATTERN).test(raw)) throw new ConfigError('REPORT_CUTOFF', `must be HH:MM (24 h), got "${raw}"`);
  return cutoffMinutes(raw);
}

export function loadEarlyWarningConfig(env: NodeJS.ProcessEnv): EarlyWarningConfig {
  const token = env.MARKET_DATA_TOKEN?.trim() || undefined;
  if (token !== undefined && token.length < 24) throw new ConfigError('MARKET_DATA_TOKEN', 'must be at least 24 characters');
  const mailFrom = env.MAIL_FROM?.trim() || 'collateral-monitor@localhost';
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(mailFrom)) throw new ConfigError('MAIL_FROM', `is not an email address: "${mailFrom}"`);
  return {
    watchdogIntervalMs: readIntSetting(env, 'WATCHDOG_INTERVAL_MS', 60_000, 1_000, 86_400_000),
    jobPollMs: readIntSetting(env, 'JOB_POLL_MS', 5_000, 0, 3_600_000),
    gatewaySilenceMs: readIntSetting(env, 'GATEWAY_SILENCE_MS', 15 * 60_000, 1_000, 7 * 86_400_000),
    lotVerifyMaxAgeMs: readIntSetting(env, 'LOT_VERIFY_MAX_AGE_MS', 24 * 3_600_000, 60_000, 30 * 86_400_000),
    priceStaleMs: readIntSetting(env, 'PRICE_STALE_MS', 26 * 3_600_000, 60_000, 30 * 86_400_000),
    feeds: loadFeeds(env.PRICE_FEEDS),
    marketDataToken: token,
    smtpUrl: readUrlSetting(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom,
    reportCutoffMinutes: readCutoff(env),
  };
}
