import uPlot from 'uplot';
import { formatMoney, formatNumber, formatPercent, formatTime, t, zone } from '../i18n.ts';
import { registerPage, BANK } from '../page-registry.ts';
import { el, items, num, obj, opt, str, type Json } from '../read.ts';
import { field, heading, section } from '../widgets.ts';
import type { PageContext } from '../page-registry.ts';

/**
 * Price history with real axes (time in the site's zone, price in its currency and
 * unit) and the haircut band: between the price and what is lent against it.
 */
function chart(series: Json, history: Json[]): HTMLElement {
  const currency = str(series.currency);
  const unit = str(series.unit);
  const haircut = num(series.haircut) ?? 0;
  const points = history
    .map((h) => ({ t: Date.parse(str(h.ts, '')) / 1000, v: num(h.price) ?? Number.NaN }))
    .filter((p) => Number.isFinite(p.t) && Number.isFinite(p.v))
    .sort((a, b) => a.t - b.t);
  const box = el('figure', { class: 'chart' });
  const caption = `${str(series.commodity)}: ${formatMoney(num(obj(series.price).amount), currency)} / ${unit} · ${t('asOf', { when: formatTime(opt(series.ts)) })} · ${t('haircut')} ${formatPercent(haircut)}`;
  box.append(el('figcaption', {}, caption));
  if (points.length < 2) return box;
  const width = Math.max(280, Math.min(720, (document.querySelector('main')?.clientWidth ?? 720) - 48));
  const data: uPlot.AlignedData = [points.map((p) => p.t), points.map((p) => p.v), points.map((p) => p.v * (1 - haircut))];
  const plot = new uPlot(
    {
      width,
      height: 220,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), zone()),
      series: [
        {},
        { label: `${currency} / ${unit}`, stroke: '#1d5fbf', width: 2 },
        { label: t('haircutBand'), stroke: '#8a5a00', dash: [4, 4] },
      ],
      bands: [{ series: [1, 2], fill: 'rgba(194, 124, 14, 0.15)' }],
      axes: [{ label: zone() }, { label: `${currency} / ${unit}`, size: 70, values: (_u, ticks) => ticks.map((v) => formatNumber(v, 0)) }],
    },
    data,
    box,
  );
  plot.root.setAttribute('role', 'img');
  plot.root.setAttribute('aria-label', caption);
  return box;
}

function importer(context: PageContext): HTMLElement {
  const file = el('input', { type: 'file', name: 'file', accept: '.csv,text/csv', required: '' });
  const bar = el('progress', { max: '1', value: '0', 'aria-label': t('importCsv') });
  const message = el('p', { role: 'status', class: 'form-message' });
  const button = el('button', { type: 'submit' }, t('upload'));
  const form = el('form', { class: 'action' }, field(t('importCsv'), file), bar, button, message);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (chosen === undefined) return;
    button.disabled = true;
    void chosen
      .text()
      .then((text) => context.api.upload('/api/v1/prices/import', text, 'text/csv', (f) => (bar.value = f)))
      .then(
        (summary) => {
          const s = obj(summary);
          message.textContent = `${formatNumber(num(s.imported))} / ${formatNumber(num(s.rowsRead))} · ${formatNumber(num(s.badRowCount))} ✗`;
          context.announce(message.textContent);
          context.refresh();
        },
        (error: Error) => {
          message.className = 'form-message error';
          message.textContent = error.message;
          context.announce(error.message);
        },
      )
      .finally(() => (button.disabled = false));
  });
  return section(t('importCsv'), form);
}

registerPage({
  id: 'prices',
  nav: 'navPrices',
  roles: [...BANK, 'borrower'],
  path: /^\/prices$/,
  async render(context, main) {
    const latest = items(await context.api.get('/api/v1/prices'));
    const charts = await Promise.all(
      latest.slice(0, 8).map(async (s) => {
        const history = items(await context.api.get(`/api/v1/prices/${encodeURIComponent(str(s.commodity))}/history?currency=${str(s.currency)}&limit=500`));
        return chart(s, history);
      }),
    );
    const canImport = context.me.role === 'risk_officer' || context.me.role === 'admin';
    main.replaceChildren(heading(t('navPrices')), ...(canImport ? [importer(context)] : []), ...(charts.length > 0 ? charts : [el('p', { class: 'empty' }, t('nothing'))]));
  },
});
