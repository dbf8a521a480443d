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

interface LotRow {
  lotId: string;
  where: string;
  state: string;
  verified: Json;
  at: string;
}

/** Lots as the gateways last reported them: the newest `lot.state` and `lot.verified` per lot. */
export function renderLots(api: Api, tbody: Element): Promise<void> {
  return fill(tbody, async () => {
    const [states, verified] = await Promise.all([
      api.get('/api/v1/events?type=lot.state&limit=500'),
      api.get('/api/v1/events?type=lot.verified&limit=500'),
    ]);
    const rows = new Map<string, LotRow>();
    const row = (event: Json): LotRow => {
      const lotId = str(event.lotId);
      let r = rows.get(lotId);
      if (!r) {
        r = { lotId, where: `${str(event.site)} / ${str(event.zone, '?')}`, state: 'verified', verified: {}, at: '' };
        rows.set(lotId, r);
      }
      return r;
    };
    // Newest first: the first event seen per lot is the current one.
    const seenState = new Set<string>();
    for (const e of items(states).map((i) => obj(i.event))) {
      if (seenState.has(str(e.lotId))) continue;
      seenState.add(str(e.lotId));
      row(e).state = str(obj(e.evidence).state, 'verified');
    }
    const seenVerified = new Set<string>();
    for (const e of items(verified).map((i) => obj(i.event))) {
      if (seenVerified.has(str(e.lotId))) continue;
      seenVerified.add(str(e.lotId));
      const r = row(e);
      r.verified = obj(e.evidence);
      r.at = str(e.ts, '');
    }
    return [...rows.values()]
      .sort((a, b) => a.lotId.localeCompare(b.lotId))
      .map((r) =>
        el(
          'tr',
          {},
          el('td', {}, r.lotId),
          el('td', {}, r.where),
          el('td', {}, el('span', { class: `badge state-${r.state}` }, r.state)),
          el('td', {}, str(r.verified.expected)),
          el('td', {}, str(r.verified.present)),
          el('td', {}, str(r.verified.missing)),
          el('td', {}, when(r.at)),
        ),
      );
  });
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

