// The risk officer's view of the active scorecard: its version and validation (AUC, KS,
// Gini), the characteristics with their classes, WoE and points, what was left out,
// the population stability of the score and of every input month by month, and how
// often each characteristic is a reason code in the bank's decisions.
import { ApiError } from '../api.ts';
import { formatNumber, formatPercent, formatTime, t } from '../i18n.ts';
import type { PageContext } from '../page-registry.ts';
import { arr, el, items, num, obj, opt, str, type Json } from '../read.ts';
import { badge, section, table } from '../widgets.ts';
import { tc, term } from './credit-messages.ts';

// Above this PSI a population has shifted (the cloud's PSI_SHIFT, the industry's 0.25).
const PSI_SHIFT = 0.25;

function validation(card: Json): HTMLElement {
  const v = obj(card.validation);
  const dl = el('dl', { class: 'figures' });
  for (const [label, value] of [
    [tc('version'), str(card.version)],
    [tc('trained'), formatTime(opt(card.createdAt))],
    ['AUC', formatNumber(num(v.auc))],
    ['KS', formatNumber(num(v.ks))],
    ['Gini', formatNumber(num(v.gini))],
  ] as const) {
    dl.append(el('dt', {}, label), el('dd', { 'data-metric': label }, value));
  }
  return el('div', {}, dl, el('p', { class: 'muted' }, tc('validation', { folds: arr(v.folds).length, rows: formatNumber(num(v.rows), 0) })));
}

function characteristics(model: Json): HTMLElement[] {
  const features = items(model.features);
  const summary = table(
    [tc('characteristic'), tc('iv'), tc('coefficient'), tc('trend'), tc('classes')],
    features.map((f) => [term('feature', str(f.feature)), formatNumber(num(f.iv)), formatNumber(num(f.coefficient)), str(f.trend), String(arr(f.bins).length)]),
    tc('characteristics'),
  );
  // One disclosure per characteristic: the classes table is long, and on a phone only
  // the one being read needs to be open.
  const details = features.map((f) =>
    el(
      'details',
      {},
      el('summary', {}, `${term('feature', str(f.feature))} · ${tc('iv')} ${formatNumber(num(f.iv))}`),
      table(
        [tc('classLabel'), tc('goods'), tc('bads'), tc('badRate'), tc('woe'), tc('points')],
        items(f.bins).map((b) => {
          const goods = num(b.goods) ?? 0;
          const bads = num(b.bads) ?? 0;
          return [str(b.label), formatNumber(goods, 0), formatNumber(bads, 0), formatPercent(bads / Math.max(1, goods + bads)), formatNumber(num(b.woe)), formatNumber(num(b.points), 0)];
        }),
        term('feature', str(f.feature)),
      ),
    ),
  );
  const excluded = items(model.excluded);
  return [
    summary,
    ...details,
    ...(excluded.length === 0 ? [] : [table([tc('characteristic'), tc('iv'), tc('whyLeftOut')], excluded.map((e) => [term('feature', str(e.feature)), formatNumber(num(e.iv)), str(e.reason)]), tc('leftOut'))]),
  ];
}

function stability(model: Json, months: Json[]): HTMLElement {
  if (months.length === 0) return el('p', { class: 'empty' }, tc('noStability'));
  const features = items(model.features).map((f) => str(f.feature));
  const psiCell = (value: number | undefined): Node | string => (value !== undefined && value > PSI_SHIFT ? el('strong', {}, formatNumber(value)) : formatNumber(value));
  return table(
    [t('month'), tc('merchants'), tc('scorePsi'), ...features.map((f) => `PSI ${term('feature', f)}`)],
    months.map((m) => {
      const inputs = new Map(items(m.inputs).map((i) => [str(i.feature), num(i.psi)] as const));
      return [
        el('span', {}, `${str(m.month)} `, m.shifted === true ? badge(tc('shifted'), 'warn') : badge(tc('stable'), 'ok')),
        formatNumber(num(m.merchants), 0),
        psiCell(num(m.scorePsi)),
        ...features.map((f) => psiCell(inputs.get(f))),
      ];
    }),
    tc('stability'),
  );
}

/** How often each characteristic is the first reason, and a reason at all, across decisions. */
export function reasonDistribution(decisions: readonly Json[]): { feature: string; first: number; any: number }[] {
  const counts = new Map<string, { first: number; any: number }>();
  for (const d of decisions) {
    items(obj(d.explanation).reasons).forEach((r, i) => {
      const feature = str(r.feature);
      const c = counts.get(feature) ?? { first: 0, any: 0 };
      counts.set(feature, { first: c.first + (i === 0 ? 1 : 0), any: c.any + 1 });
    });
  }
  return [...counts].map(([feature, c]) => ({ feature, ...c })).sort((a, b) => b.first - a.first || b.any - a.any || a.feature.localeCompare(b.feature));
}

export async function modelReport(context: PageContext, decisions: readonly Json[]): Promise<HTMLElement> {
  let report: Json;
  try {
    report = obj(await context.api.get('/api/v1/credit/models/active'));
  } catch (error) {
    // 409: the bank has no active card yet, which is a state to explain, not a failure.
    if (error instanceof ApiError && error.status === 409) return section(tc('modelReport'), el('p', { class: 'empty' }, tc('noModel')));
    throw error;
  }
  const card = obj(report.card);
  const model = obj(card.model);
  const distribution = reasonDistribution(decisions);
  return section(
    tc('modelReport'),
    validation(card),
    stability(model, items(report.stability)),
    table(
      [tc('characteristic'), tc('firstReason'), tc('anyReason'), tc('shareFirst')],
      distribution.map((d) => [term('feature', d.feature), formatNumber(d.first, 0), formatNumber(d.any, 0), formatPercent(d.first / Math.max(1, decisions.length))]),
      tc('reasonDistribution'),
    ),
    ...characteristics(model),
  );
}
