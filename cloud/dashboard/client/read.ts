/**
 * Narrowing helpers for JSON from the API: the dashboard renders what is there and
 * shows a dash for what is not, instead of trusting shapes it cannot check.
 */
import { formatMoney } from './i18n.ts';

export type Json = Record<string, unknown>;

export const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown, fallback = '—'): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback);
export const opt = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** `items` of a paged list response, or the array itself. */
export const items = (v: unknown): Json[] => (Array.isArray(v) ? v : arr(obj(v).items)).map(obj);

/** `{ amount, currency }` as the API sends money. */
export function money(v: unknown): string {
  const m = obj(v);
  return formatMoney(num(m.amount), str(m.currency, 'USD'));
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}
