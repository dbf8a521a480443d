// One credit decision as a card: merchant, month, score, PD, the line and its rate,
// the reason codes and every policy rule's outcome, and (for bank staff) the audit
// trail of the decision, loaded when opened. Used by the risk officer's list and the
// merchant's own offers.
import { formatMoney, formatNumber, formatPercent, formatTime } from '../i18n.ts';
import type { PageContext } from '../page-registry.ts';
import { el, items, num, obj, opt, str, type Json } from '../read.ts';
import { badge } from '../widgets.ts';
import { tc, term } from './credit-messages.ts';

export function lineText(d: Json): string {
  const limit = obj(d.limit);
  return d.limit === null || d.limit === undefined ? '—' : formatMoney(num(limit.amount), str(limit.currency, 'USD'));
}

function statusBadge(d: Json): HTMLElement {
  const status = str(d.status);
  const kind = status === 'accepted' ? 'ok' : status === 'offered' ? 'warn' : status === 'declined' ? 'crit' : 'off';
  return badge(term('status', status), kind);
}

function figures(d: Json): HTMLElement {
  const dl = el('dl', { class: 'figures' });
  for (const [label, value] of [
    [tc('score'), formatNumber(num(d.score), 0)],
    [tc('pd'), formatPercent(num(d.pd), 2)],
    [tc('outcome'), term('outcome', str(d.outcome))],
    [tc('line'), lineText(d)],
    [tc('rate'), formatPercent(num(d.annualRate), 2)],
  ] as const) {
    dl.append(el('dt', {}, label), el('dd', {}, value));
  }
  return dl;
}

function reasons(d: Json): HTMLElement {
  const list = items(obj(d.explanation).reasons);
  return el(
    'div',
    { class: 'reasons' },
    el('h5', {}, tc('reasons')),
    list.length === 0
      ? el('p', { class: 'empty' }, '—')
      : el('ol', {}, ...list.map((r) => el('li', { 'data-reason': str(r.feature) }, `${term('feature', str(r.feature))} — ${tc('pointsLost', { bin: str(r.bin), n: formatNumber(num(r.pointsLost), 0) })}`))),
  );
}

function rules(d: Json): HTMLElement {
  const list = items(obj(d.explanation).rules);
  return el(
    'details',
    {},
    el('summary', {}, tc('rules')),
    el('ul', { class: 'rules' }, ...list.map((r) => el('li', { class: r.passed === true ? 'ok' : 'error' }, `${r.passed === true ? '✓' : '✗'} ${term('rule', str(r.rule))} (${r.passed === true ? tc('passed') : tc('failed')}): ${str(r.detail, '')}`))),
  );
}

// The trail comes from the audit log itself (decision, acceptance), read when opened so
// a long list of decisions costs no request per card.
function auditTrail(context: PageContext, d: Json): HTMLElement {
  const body = el('div', { 'aria-live': 'polite' }, el('p', { class: 'muted' }, tc('auditLoading')));
  const details = el('details', { class: 'audit-trail' }, el('summary', {}, tc('audit')), body);
  let loaded = false;
  details.addEventListener('toggle', () => {
    if (!details.open || loaded) return;
    loaded = true;
    const query = `/api/v1/audit?entityType=credit_decision&entityId=${encodeURIComponent(str(d.id))}&limit=20`;
    context.api.get(query).then(
      (answer) => {
        const entries = items(answer);
        body.replaceChildren(
          entries.length === 0 ? el('p', { class: 'empty' }, '—') : el('ol', {}, ...entries.map((e) => el('li', {}, `${formatTime(opt(e.at))} · ${str(e.action)} · ${str(e.actor)}`))),
        );
      },
      (error: Error) => {
        loaded = false;
        body.replaceChildren(el('p', { class: 'error' }, error.message));
      },
    );
  });
  return details;
}

// The merchant's score month by month (decision and monthly re-scoring), read when opened.
function scoreHistory(context: PageContext, d: Json): HTMLElement {
  const body = el('div', { 'aria-live': 'polite' }, el('p', { class: 'muted' }, tc('auditLoading')));
  const details = el('details', { class: 'score-history' }, el('summary', {}, tc('scoreHistory')), body);
  let loaded = false;
  details.addEventListener('toggle', () => {
    if (!details.open || loaded) return;
    loaded = true;
    context.api.get(`/api/v1/credit/merchants/${encodeURIComponent(str(d.merchantId))}/scores`).then(
      (answer) => {
        const rows = items(answer);
        body.replaceChildren(
          rows.length === 0 ? el('p', { class: 'empty' }, '—') : el('ol', {}, ...rows.map((r) => el('li', {}, `${str(r.month)} · ${tc('score')} ${formatNumber(num(r.score), 0)} · ${tc('pd')} ${formatPercent(num(r.pd), 2)}`))),
        );
      },
      (error: Error) => {
        loaded = false;
        body.replaceChildren(el('p', { class: 'error' }, error.message));
      },
    );
  });
  return details;
}

export function decisionCard(context: PageContext, d: Json, extra: (HTMLElement | undefined)[] = []): HTMLElement {
  const staff = context.me.role === 'lender' || context.me.role === 'risk_officer';
  const parts: (HTMLElement | undefined)[] = [
    el('h4', {}, `${str(d.merchantId)} · ${str(d.month)} `, statusBadge(d)),
    figures(d),
    reasons(d),
    rules(d),
    staff ? scoreHistory(context, d) : undefined,
    staff ? auditTrail(context, d) : undefined,
    ...extra,
  ];
  return el('article', { class: 'facility decision', 'data-decision': str(d.id), 'data-merchant': str(d.merchantId) }, ...parts.filter((p): p is HTMLElement => p !== undefined));
}
