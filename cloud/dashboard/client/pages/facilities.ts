import { ltvGauge } from '../charts.ts';
import { formatMoney, formatNumber, formatPercent, formatTime, t } from '../i18n.ts';
import { registerPage, BANK, type PageContext } from '../page-registry.ts';
import { el, items, money, num, obj, opt, str, type Json } from '../read.ts';
import { actionForm, badge, field, freshnessTag, heading, section, table } from '../widgets.ts';

const READERS = [...BANK, 'borrower'] as const;
const MOVERS = ['lender', 'risk_officer', 'borrower'];
// Collateral valued longer ago than this is marked stale.
const STALE_MS = 30 * 60_000;

function figures(f: Json): HTMLElement {
  const fig = obj(f.figures);
  const dl = el('dl', { class: 'figures' });
  for (const [label, value] of [
    [t('limit'), f.limit],
    [t('collateralValue'), fig.collateralValue],
    [t('lendingValue'), fig.lendingValue],
    [t('drawingPower'), fig.drawingPower],
    [t('outstanding'), fig.outstanding],
    [t('available'), fig.available],
  ] as const) {
    dl.append(el('dt', {}, label), el('dd', { 'data-figure': label }, money(value)));
  }
  dl.append(el('dt', {}, t('ltv')), el('dd', {}, formatPercent(num(fig.ltv))));
  return dl;
}

function gauge(f: Json): SVGElement {
  const th = obj(f.ltvThresholds);
  return ltvGauge(num(obj(f.figures).ltv), { warning: num(th.warning) ?? 0.8, marginCall: num(th.marginCall) ?? 0.85, liquidation: num(th.liquidation) ?? 0.9 });
}

function statusBadge(f: Json): HTMLElement {
  return f.frozen === true ? badge(t('frozen'), 'crit') : badge(str(f.status), 'ok');
}

registerPage({
  id: 'facilities',
  nav: 'navFacilities',
  roles: READERS,
  path: /^\/(?:facilities)?$/,
  liveEvents: ['collateral.changed'],
  async render(context, main) {
    const list = items(await context.api.get('/api/v1/facilities'));
    const cards = list.map((f) =>
      el(
        'article',
        { class: 'facility' },
        el('h3', {}, el('a', { href: `#/facility/${str(f.id)}` }, `${str(f.reference)} · ${str(obj(f.borrower).name, '')}`)),
        statusBadge(f),
        figures(f),
        gauge(f),
        el('p', { class: 'muted' }, `${t('lastVerified')}: `, freshnessTag(opt(obj(f.figures).valuedAt), STALE_MS)),
      ),
    );
    main.replaceChildren(heading(t('navFacilities')), cards.length > 0 ? el('div', { class: 'grid' }, ...cards) : el('p', { class: 'empty' }, t('nothing')));
  },
});

function movementForm(context: PageContext, facility: Json, kind: 'drawdowns' | 'repayments'): HTMLFormElement {
  const amount = el('input', { name: 'amount', inputmode: 'decimal', required: '', pattern: '\\d+(\\.\\d{1,2})?', autocomplete: 'off' });
  const note = el('input', { name: 'note', maxlength: '500' });
  const label = kind === 'drawdowns' ? t('draw') : t('repay');
  return actionForm(context, label, [field(`${t('amount')} (${str(facility.currency)})`, amount), field(t('note'), note)], async (data) => {
    const body = { amount: { amount: String(data.get('amount')), currency: str(facility.currency) }, ...(data.get('note') ? { note: String(data.get('note')) } : {}) };
    const result = obj(await context.api.send('POST', `/api/v1/facilities/${str(facility.id)}/${kind}`, body));
    return `${label}: ${money(obj(result.entry).amount)} · ${t('outstanding')} ${money(obj(obj(result.facility).figures).outstanding)}`;
  });
}

function breakdown(f: Json, lines: Json[], lotStates: Map<string, Json>): HTMLElement {
  const currency = str(f.currency);
  const rows = lines.map((l) => {
    const receipt = lotStates.get(str(l.receiptId)) ?? {};
    const price = obj(l.price);
    const qty = obj(l.verifiedQuantity);
    const state = str(receipt.lotState, 'verified');
    return [
      str(l.receiptNumber),
      el('a', { href: `#/lot/${encodeURIComponent(str(receipt.siteId, ''))}/${encodeURIComponent(str(l.lotId))}` }, str(l.lotId)),
      badge(state, `state-${state}`),
      str(l.commodity),
      `${formatNumber(num(qty.value))} ${str(qty.unit, '')}`,
      num(price.amount) === undefined ? '—' : `${formatMoney(num(price.amount), str(price.currency, currency))} / ${str(price.unit, '')} · ${t('asOf', { when: formatTime(opt(l.valuedAt)) })}`,
      formatPercent(num(l.haircut)),
      formatMoney(num(l.concentrationReserve), currency),
      formatMoney(num(l.lendingValue), currency),
      formatPercent(num(l.advanceRate), 0),
      formatMoney(num(l.advanceValue), currency),
    ];
  });
  const sum = (key: string) => lines.reduce((acc, l) => acc + (num(l[key]) ?? 0), 0);
  rows.push([el('strong', {}, t('totals')), '', '', '', '', '', '', formatMoney(sum('concentrationReserve'), currency), formatMoney(sum('lendingValue'), currency), '', formatMoney(sum('advanceValue'), currency)]);
  return section(
    t('breakdown'),
    table([t('receipt'), t('lot'), t('lotState'), t('commodity'), t('quantity'), t('price'), t('haircut'), t('reserve'), t('lendingValue'), t('advanceRate'), t('advanceValue')], rows),
    el('p', { class: 'muted' }, t('availableFormula')),
  );
}

/** Who an actor (`user:<uuid>`) is, by the bank's user list; the id when not listed. */
function actorName(actor: string, users: Map<string, Json>): string {
  const id = actor.replace(/^user:/, '');
  return str(obj(users.get(id)).email, actor);
}

/**
 * Freeze holds and their lifting. A hold over a breached lot takes two people: whoever
 * resolved the lot's case (or the first risk officer) requests, a different risk officer
 * approves. The server decides; the page offers the step that is next and shows its answer.
 */
async function holds(context: PageContext, f: Json): Promise<HTMLElement | undefined> {
  const open = items(f.holds).filter((h) => h.resolution === null);
  if (open.length === 0) return undefined;
  const riskOfficer = context.me.role === 'risk_officer';
  const users = riskOfficer ? new Map((await context.api.get('/api/v1/users').then(items, () => [])).map((u) => [str(u.id), u] as const)) : new Map<string, Json>();
  const lift = (h: Json, label: string, caseField: HTMLElement) =>
    actionForm(context, label, [caseField], async (data) => {
      await context.api.send('POST', `/api/v1/facilities/${str(f.id)}/holds/${encodeURIComponent(str(h.id))}/resolve`, { caseId: String(data.get('caseId')) });
      return t('done');
    });
  const parts = await Promise.all(
    open.map(async (h) => {
      const trigger = obj(h.trigger);
      const pending = h.pendingLift === undefined || h.pendingLift === null ? undefined : obj(h.pendingLift);
      const body = el('div', { class: 'hold' }, el('p', {}, `${str(trigger.kind ?? trigger.reason, 'hold')} ${str(trigger.lotId, '')} ${str(trigger.status, '')} · ${formatTime(opt(h.since))}`));
      if (pending !== undefined) {
        const c = await context.api.get(`/api/v1/alerts/${str(pending.caseId)}`).then(obj, () => ({}) as Json);
        body.append(el('p', { class: 'pending' }, t('liftRequested', { who: actorName(str(pending.requestedBy), users), when: formatTime(opt(pending.at)), ref: str(c.reference, str(pending.caseId)) })));
        if (riskOfficer) body.append(lift(h, t('approveLift'), el('input', { type: 'hidden', name: 'caseId', value: str(pending.caseId) })));
        return body;
      }
      if (!riskOfficer) return body;
      // The cases that may lift it: resolved, about the hold's lot.
      const query = new URLSearchParams({ status: 'resolved', limit: '50', ...(opt(trigger.lotId) !== undefined ? { lotId: str(trigger.lotId) } : {}) });
      const resolved = await context.api.get(`/api/v1/alerts?${query.toString()}`).then(items, () => []);
      if (resolved.length === 0) return body;
      const select = el('select', { name: 'caseId', required: '' }, ...resolved.map((c) => el('option', { value: str(c.id) }, `${str(c.reference)} · ${str(obj(c.finding).kind, '')} · ${str(c.title)}`)));
      body.append(lift(h, trigger.status === 'breached' ? t('requestLift') : t('liftHold'), field(t('resolvedCase'), select)));
      return body;
    }),
  );
  return section(t('holds'), ...parts);
}

function releaseRequest(context: PageContext, lines: Json[]): HTMLElement {
  const select = el('select', { name: 'receiptId', required: '' }, ...lines.map((l) => el('option', { value: str(l.receiptId) }, `${str(l.receiptNumber)} · ${str(l.lotId)}`)));
  const quantity = el('input', { name: 'quantity', inputmode: 'decimal', required: '', pattern: '\\d+(\\.\\d+)?' });
  const unitOf = (id: string) => str(obj(lines.find((l) => str(l.receiptId) === id)?.verifiedQuantity).unit, 't');
  return section(
    t('requestRelease'),
    actionForm(context, t('requestRelease'), [field(t('receipt'), select), field(t('releaseQuantity'), quantity)], async (data) => {
      const receiptId = String(data.get('receiptId'));
      await context.api.send('POST', '/api/v1/release-orders', { receiptId, quantity: { value: String(data.get('quantity')), unit: unitOf(receiptId) } });
      return t('requested');
    }),
  );
}

/** The facility's daily report (yesterday, UTC) as CSV, for the bank's staff. */
function dailyReport(context: PageContext, f: Json): HTMLElement {
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const date = el('input', { name: 'date', type: 'date', required: '', value: yesterday });
  return section(
    t('reports'),
    actionForm(context, `${t('download')} ${t('reports')}`, [field(t('when'), date)], async (data) => {
      await context.api.download(`/api/v1/reports/facilities/${str(f.id)}/daily?date=${String(data.get('date'))}&format=csv`);
      return undefined;
    }),
  );
}

function statementSection(context: PageContext, f: Json, statement: Json): HTMLElement {
  const month = el('input', { name: 'month', type: 'month', required: '', value: new Date().toISOString().slice(0, 7) });
  const interest = obj(statement.interest);
  return section(
    t('interest'),
    el('p', {}, `${t('interestToDate')}: `, el('strong', {}, formatMoney(num(interest.accrued), str(f.currency))), ` · ${formatPercent(num(f.annualRate), 2)} ${str(f.dayCount)}`),
    actionForm(context, `${t('download')} ${t('statement')}`, [field(t('month'), month)], async (data) => {
      await context.api.download(`/api/v1/facilities/${str(f.id)}/statements/${String(data.get('month'))}?format=csv`);
      return undefined;
    }),
  );
}

registerPage({
  id: 'facility',
  roles: READERS,
  path: /^\/facility\/([0-9a-f-]{36})$/,
  liveEvents: ['collateral.changed'],
  async render(context, main, [id]) {
    const { api, me } = context;
    const month = new Date().toISOString().slice(0, 7);
    const [f, ledger, postings, calls, receipts, statement] = await Promise.all([
      api.get(`/api/v1/facilities/${id}`).then(obj),
      api.get(`/api/v1/facilities/${id}/ledger`).then(items),
      api.get(`/api/v1/facilities/${id}/interest/postings`).then(items, () => []),
      api.get(`/api/v1/facilities/${id}/margin-calls`).then(items),
      api.get('/api/v1/receipts?limit=500').then(items),
      api.get(`/api/v1/facilities/${id}/statements/${month}`).then(obj),
    ]);
    const lines = items(f.collateral);
    const lotStates = new Map(receipts.map((r) => [str(r.id), r] as const));
    const parts: (HTMLElement | undefined)[] = [
      heading(`${str(f.reference)} · ${str(obj(f.borrower).name, '')}`),
      el('p', {}, el('a', { href: '#/facilities' }, t('back'))),
      section(t('drawingPower'), statusBadge(f), figures(f), gauge(f)),
      await holds(context, f),
      MOVERS.includes(me.role)
        ? section(`${t('draw')} / ${t('repay')}`, el('div', { class: 'columns' }, ...(f.frozen === true ? [el('p', { class: 'error' }, t('frozen'))] : [movementForm(context, f, 'drawdowns')]), movementForm(context, f, 'repayments')))
        : undefined,
      breakdown(f, lines, lotStates),
      me.role === 'borrower' && lines.length > 0 ? releaseRequest(context, lines) : undefined,
      statementSection(context, f, statement),
      section(
        t('ledger'),
        table(
          [t('when'), t('action'), t('amount'), t('outstanding'), t('note')],
          // Principal movements and the monthly interest postings, newest first.
          [
            ...ledger.slice(-50).map((e) => ({ at: str(e.at, ''), row: [formatTime(opt(e.at)), str(e.kind), money(e.amount), money(e.outstandingAfter), str(e.note, '')] })),
            ...postings.map((p) => ({ at: str(p.postedAt, ''), row: [formatTime(opt(p.postedAt)), `${t('interestPosted')} ${str(p.month)}`, formatMoney(num(p.amount), str(p.currency)), '—', `${str(p.days)} d · ${formatPercent(num(p.annualRate), 2)} ${str(p.dayCount)}`] })),
          ]
            .sort((a, b) => b.at.localeCompare(a.at))
            .map((r) => r.row),
        ),
      ),
      section(
        t('marginCalls'),
        table(
          [t('status'), t('opened'), t('due'), t('ltv'), t('action')],
          calls.map((c) => [
            str(c.status),
            formatTime(opt(c.openedAt)),
            formatTime(opt(c.dueAt)),
            formatPercent(num(c.latestLtv)),
            // The borrower confirms it received the call; the lender that it followed it up.
            c.status === 'open' && ['lender', 'risk_officer', 'borrower'].includes(me.role)
              ? actionForm(context, t('acknowledge'), [], async () => {
                  await api.send('POST', `/api/v1/margin-calls/${str(c.id)}/acknowledge`, {});
                  return t('done');
                })
              : '—',
          ]),
        ),
      ),
      me.role === 'borrower' ? undefined : dailyReport(context, f),
    ];
    main.replaceChildren(...parts.filter((p): p is HTMLElement => p !== undefined));
  },
});
