import type { Api } from './api.ts';
import { ltvGauge, sparkline } from './charts.ts';
import { el, items, money, num, obj, str, when, type Json } from './read.ts';

/** Replaces a container's content; a failed fetch shows why instead of stale data. */
async function fill(container: Element, load: () => Promise<Node[]>): Promise<void> {
  try {
    const nodes = await load();
    container.replaceChildren(...(nodes.length > 0 ? nodes : [el('p', { class: 'empty' }, 'nothing to show')]));
  } catch (error) {
    container.replaceChildren(el('p', { class: 'empty' }, `unavailable: ${(error as Error).message}`));
  }
}

export function renderFacilities(api: Api, container: Element): Promise<void> {
  return fill(container, async () =>
    items(await api.get('/api/v1/facilities')).map((f) => {
      const figures = obj(f.figures);
      const thresholds = obj(f.ltvThresholds);
      const ltv = num(figures.ltv ?? obj(f.ltv).value);
      const card = el(
        'div',
        { class: 'facility' },
        el('h3', {}, `${str(f.reference)} · ${str(obj(f.borrower).name, '')}`),
        el('span', { class: `badge ${f.frozen === true ? 'frozen' : 'on'}` }, f.frozen === true ? 'drawdowns frozen' : str(f.status)),
      );
      const dl = el('dl', { class: 'figures' });
      for (const [label, value] of [
        ['Limit', f.limit],
        ['Collateral value', figures.collateralValue],
        ['Lending value', figures.lendingValue],
        ['Outstanding', figures.outstanding],
        ['Available', figures.available],
      ] as const) {
        dl.append(el('dt', {}, label), el('dd', {}, money(value)));
      }
      dl.append(el('dt', {}, 'LTV'), el('dd', {}, ltv === undefined ? '—' : `${(ltv * 100).toFixed(1)} %`));
      card.append(
        dl,
        ltvGauge(ltv, {
          warning: num(thresholds.warning) ?? 0.8,
          marginCall: num(thresholds.marginCall) ?? 0.85,
          liquidation: num(thresholds.liquidation) ?? 0.9,
        }),
      );
      return card;
    }),
  );
}

/** The receipts the user may see, with the lot state and verified quantity the gateway last reported. */
export function renderLots(api: Api, tbody: Element): Promise<void> {
  return fill(tbody, async () =>
    items(await api.get('/api/v1/receipts?limit=200'))
      .sort((a, b) => str(a.lotId).localeCompare(str(b.lotId)))
      .map((r) => {
        const state = str(r.lotState, 'verified');
        const quantity = obj(r.quantity);
        const verified = obj(r.verifiedQuantity);
        const valuation = obj(r.valuation);
        return el(
          'tr',
          {},
          el('td', {}, `${str(r.lotId)} `, el('span', { class: 'muted' }, str(r.number))),
          el('td', {}, `${str(r.siteId)} / ${str(r.zone)}`),
          el('td', {}, `${str(r.commodity)} `, el('span', { class: 'muted' }, str(r.status))),
          el('td', {}, el('span', { class: `badge state-${state}` }, state)),
          el('td', {}, `${str(quantity.value)} ${str(quantity.unit, '')}`),
          el('td', {}, `${str(verified.value)} ${str(verified.unit, '')}`),
          el('td', {}, money({ amount: valuation.lendingValue, currency: valuation.currency })),
          el('td', {}, when(r.verifiedAt)),
        );
      }),
  );
}

export function renderCases(api: Api, list: Element): Promise<void> {
  return fill(list, async () =>
    items(await api.get('/api/v1/alerts?limit=50')).map((c) =>
      el(
        'li',
        {},
        el('span', { class: `badge sev-${str(c.severity, 'info')}` }, str(c.severity)),
        ' ',
        el('strong', {}, str(c.title ?? c.kind)),
        ' ',
        el('span', { class: 'muted' }, `${str(c.status)} · ${str(c.site, '')} ${str(c.lotId, '')} · due ${when(c.dueAt)}`),
      ),
    ),
  );
}

export function renderPrices(api: Api, container: Element): Promise<void> {
  return fill(container, async () => {
    const latest = items(await api.get('/api/v1/prices'));
    return Promise.all(
      latest.slice(0, 6).map(async (tick) => {
        const commodity = str(tick.commodity);
        const history = items(await api.get(`/api/v1/prices/${encodeURIComponent(commodity)}/history?limit=200`));
        const points = history
          .map((h) => ({ t: Date.parse(str(h.ts ?? h.at, '')), v: num(obj(h.price).amount ?? h.price) ?? Number.NaN }))
          .filter((p) => Number.isFinite(p.t) && Number.isFinite(p.v))
          .sort((a, b) => a.t - b.t);
        return el('div', {}, el('strong', {}, commodity), ' ', el('span', { class: 'muted' }, money(tick.price)), el('br'), sparkline(points));
      }),
    );
  });
}

export function describeEvent(e: Json): string {
  const evidence = obj(e.evidence);
  const detail = str(evidence.state ?? evidence.reason ?? evidence.label ?? evidence.kind ?? evidence.count, '');
  return `${when(e.ts)} · #${str(e.seq)} ${str(e.type)} ${str(e.lotId, '')} ${str(e.zone, '')} ${detail}`.replace(/\s+/g, ' ');
}

export function renderEvents(api: Api, list: Element): Promise<void> {
  return fill(list, async () =>
    items(await api.get('/api/v1/events?limit=40')).map((i) => {
      const e = obj(i.event);
      return el('li', {}, el('span', { class: `badge sev-${str(e.severity, 'info')}` }, str(e.severity)), ' ', describeEvent(e));
    }),
  );
}

