import type { Api } from './api.ts';
import type { MessageKey } from './i18n.ts';

export interface Me {
  readonly id: string;
  readonly email: string;
  readonly role: string;
  readonly tenantId: string;
}

/** What a page gets from the shell. */
export interface PageContext {
  readonly api: Api;
  readonly me: Me;
  /** Screen readers hear it (aria-live region). */
  announce(message: string): void;
  toast(message: string, kind?: 'info' | 'error'): void;
  /** Re-renders the current page (after an action, or on a live event it listens to). */
  refresh(): void;
}

export interface Page {
  readonly id: string;
  /** In the navigation when set; detail pages have none. */
  readonly nav?: MessageKey;
  readonly roles: readonly string[];
  /** Matched against the location hash without '#'; groups are the page's parameters. */
  readonly path: RegExp;
  /** Live events that make the page re-render. */
  readonly liveEvents?: readonly string[];
  render(context: PageContext, main: HTMLElement, params: readonly string[]): Promise<void>;
}

const pages: Page[] = [];

export function registerPage(page: Page): void {
  pages.push(page);
}

export function pagesFor(role: string): Page[] {
  return pages.filter((p) => p.roles.includes(role));
}

export const BANK = ['lender', 'risk_officer', 'branch_investigator', 'admin'] as const;
export const EVERYONE = [...BANK, 'warehouse_operator', 'borrower'] as const;
