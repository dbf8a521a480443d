import type { Principal } from './principal.ts';

export interface StoredAccount {
  tenantId: string;
  role: string;
  disabled: boolean;
  /** Raised on every password or role change (migration 070). */
  tokenVersion: number;
}

export interface AccountCheckOptions {
  findAccount(userId: string): Promise<StoredAccount | null>;
  /** How long an answer is reused; default 5 s. */
  ttlMs?: number;
  /** Entries kept at most; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * Whether a verified token still speaks for a live account: the user exists, is not
 * disabled, and still has the tenant, role and token version the token names (a
 * demoted user's old token must not keep the old role until it expires, and a token
 * issued before a password change must not outlive it). Answers are cached briefly so
 * every request does not cost a query; `forget` drops a user at once, so a change made
 * in this process applies to the very next request, and other processes within the TTL.
 */
export function createAccountCheck(options: AccountCheckOptions) {
  const ttlMs = options.ttlMs ?? 5_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { account: StoredAccount | null; until: number }>();

  async function account(userId: string): Promise<StoredAccount | null> {
    const cached = cache.get(userId);
    if (cached !== undefined && cached.until > now()) return cached.account;
    const found = await options.findAccount(userId);
    cache.delete(userId);
    // Map keeps insertion order: the first key is the oldest entry.
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value ?? '');
    cache.set(userId, { account: found, until: now() + ttlMs });
    return found;
  }

  return {
    /** Why the token no longer counts, or undefined when it does. */
    async refusal(principal: Principal & { tokenVersion?: number }): Promise<string | undefined> {
      const stored = await account(principal.userId);
      if (stored === null) return 'the account no longer exists';
      if (stored.disabled) return 'the account is disabled';
      // Tokens from before token versions carry none, which counts as version 0.
      if (stored.tenantId !== principal.tenantId || stored.role !== principal.role || stored.tokenVersion !== (principal.tokenVersion ?? 0)) {
        return 'the account changed since the token was issued: log in again';
      }
      return undefined;
    },
    forget(userId: string): void {
      cache.delete(userId);
    },
  };
}

export type AccountCheck = ReturnType<typeof createAccountCheck>;
