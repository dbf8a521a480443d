// What the merchant (a borrower tenant linked to it) sees on the credit page: its open
// offer with the reasons behind it and an accept button, and once accepted its revolving
// facility with what is available and owed, drawn and repaid right here through the
// facility routes (/api/v1/facilities/{id}/drawdowns and /repayments).
import { formatTime, t } from '../i18n.ts';
import type { PageContext } from '../page-registry.ts';
import { el, items, money, obj, opt, str, type Json } from '../read.ts';
import { actionForm, field, section } from '../widgets.ts';
import { tc } from './credit-messages.ts';
import { decisionCard, lineText } from './decision-cards.ts';

function acceptForm(context: PageContext, d: Json): HTMLElement {
  return el(
    'div',
    {},
    el('p', { class: 'muted' }, tc('validUntil', { when: formatTime(opt(d.expiresAt)) })),
    actionForm(context, `${tc('accept')}: ${lineText(d)}`, [], async () => {
      await context.api.send('POST', `/api/v1/credit/decisions/${encodeURIComponent(str(d.id))}/accept`);
      return tc('acceptedMessage', { amount: lineText(d) });
    }),
  );
}

function movementForm(context: PageContext, facility: Json, kind: 'drawdowns' | 'repayments'): HTMLFormElement {
  const label = kind === 'drawdowns' ? t('draw') : t('repay');
  const amount = el('input', { name: 'amount', inputmode: 'decimal', required: '', pattern: '\\d+(\\.\\d{1,2})?', autocomplete: 'off' });
  const currency = str(facility.currency);
  return actionForm(context, label, [field(`${label}: ${t('amount')} (${currency})`, amount)], async (data) => {
    const result = obj(await context.api.send('POST', `/api/v1/facilities/${encodeURIComponent(str(facility.id))}/${kind}`, { amount: { amount: String(data.get('amount')), currency } }));
    return `${label}: ${money(obj(result.entry).amount)} · ${t('outstanding')} ${money(obj(obj(result.facility).figures).outstanding)}`;
  });
}

async function facilitySection(context: PageContext, facilityId: string): Promise<HTMLElement> {
  const f = obj(await context.api.get(`/api/v1/facilities/${encodeURIComponent(facilityId)}`));
  const figures = obj(f.figures);
  const dl = el('dl', { class: 'figures' });
  for (const [label, value] of [
    [t('limit'), f.limit],
    [t('available'), figures.available],
    [t('outstanding'), figures.outstanding],
  ] as const) {
    dl.append(el('dt', {}, label), el('dd', { 'data-figure': label }, money(value)));
  }
  return section(
    `${tc('facility')} · ${str(f.reference)}`,
    dl,
    el('div', { class: 'columns' }, ...(f.frozen === true ? [el('p', { class: 'error' }, t('frozen'))] : [movementForm(context, f, 'drawdowns')]), movementForm(context, f, 'repayments')),
    el('p', {}, el('a', { href: `#/facility/${facilityId}` }, `${t('ledger')} · ${t('statement')}`)),
  );
}

export async function borrowerView(context: PageContext): Promise<HTMLElement[]> {
  const decisions = items(await context.api.get('/api/v1/credit/decisions'));
  // Decisions come newest first; the facility is one per merchant and bank, shown once.
  const facilities = [...new Set(decisions.filter((d) => d.status === 'accepted' && typeof d.facilityId === 'string').map((d) => str(d.facilityId)))];
  const cards = decisions.filter((d) => d.status !== 'superseded').map((d) => decisionCard(context, d, d.status === 'offered' ? [acceptForm(context, d)] : []));
  return [
    ...(await Promise.all(facilities.map((id) => facilitySection(context, id)))),
    section(tc('yourOffers'), cards.length === 0 ? el('p', { class: 'empty' }, tc('noOffer')) : el('div', { class: 'grid' }, ...cards)),
  ];
}
