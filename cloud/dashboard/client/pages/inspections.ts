import { formatNumber, formatTime, t } from '../i18n.ts';
import { registerPage, type PageContext } from '../page-registry.ts';
import { el, items, num, obj, opt, str, type Json } from '../read.ts';
import { actionForm, badge, field, heading, section, table } from '../widgets.ts';

// Unannounced inspections are the bank's own business: the branch counts, head office sends it.
const READERS = ['branch_investigator', 'risk_officer', 'lender', 'admin'] as const;
const COUNTERS = ['branch_investigator', 'risk_officer', 'admin'];
const STATUSES = ['scheduled', 'missed', 'completed'] as const;
const filter = { status: 'scheduled' };

function statusBadge(status: string): HTMLElement {
  return badge(status, status === 'missed' ? 'crit' : status === 'completed' ? 'ok' : 'status');
}

/** Head office sends the branch to a warehouse today: an inspection outside the random draw. */
async function sendForm(context: PageContext): Promise<HTMLElement> {
  const sites = await context.api.get('/api/v1/sites').then(items, () => []);
  const site = el('select', { name: 'site', required: '' }, ...sites.map((s) => el('option', { value: str(s.id) }, `${str(s.name, str(s.id))} (${str(s.id)})`)));
  return actionForm(context, t('sendBranch'), [field(t('site'), site)], async (data) => {
    await context.api.send('POST', '/api/v1/inspections', { site: String(data.get('site')) });
    return t('done');
  });
}

registerPage({
  id: 'inspections',
  nav: 'navInspections',
  roles: READERS,
  path: /^\/inspections$/,
  async render(context, main) {
    const list = items(await context.api.get(`/api/v1/inspections?status=${filter.status}&limit=200`));
    const status = el('select', { name: 'status' }, ...STATUSES.map((s) => el('option', { value: s, ...(s === filter.status ? { selected: '' } : {}) }, s)));
    status.addEventListener('change', () => {
      filter.status = status.value;
      context.refresh();
    });
    const cards = el(
      'ul',
      { class: 'cases' },
      ...list.map((i) =>
        el(
          'li',
          { class: 'case' },
          el('a', { href: `#/inspection/${str(i.id)}` }, `${t('inspection')} ${str(i.site)} · ${formatTime(opt(i.scheduledFor))}`),
          el('div', { class: 'case-meta' }, statusBadge(str(i.status)), ` ${t('lot')}: ${formatNumber(items(i.lots).length || items(i.counts).length)}`),
        ),
      ),
    );
    main.replaceChildren(
      heading(t('navInspections')),
      el('div', { class: 'filters', role: 'group', 'aria-label': t('status') }, field(t('status'), status)),
      list.length > 0 ? cards : el('p', { class: 'empty' }, t('nothing')),
      ...(context.me.role === 'risk_officer' ? [section(t('sendBranch'), await sendForm(context))] : []),
    );
  },
});

/** One field per lot, counted blind: the system's figure is shown only after submitting. */
function countForm(context: PageContext, inspection: Json): HTMLElement {
  const lots = items(inspection.lots);
  const inputs = lots.map((l) =>
    field(
      `${str(l.lotId)} · ${str(l.receiptNumber)} (${str(l.unit)})`,
      el('input', { name: `count:${str(l.lotId)}`, inputmode: 'decimal', required: '', pattern: '\\d{1,15}(\\.\\d{1,6})?', autocomplete: 'off', 'data-unit': str(l.unit) }),
    ),
  );
  const note = el('textarea', { name: 'note', maxlength: '4000', rows: '2' });
  return section(
    t('counted'),
    el('p', { class: 'muted' }, t('countsBlind')),
    actionForm(context, t('submitCounts'), [...inputs, field(t('note'), note)], async (data) => {
      const counts = lots.map((l) => ({ lotId: str(l.lotId), quantity: { value: String(data.get(`count:${str(l.lotId)}`)).trim(), unit: str(l.unit) } }));
      await context.api.send('POST', `/api/v1/inspections/${str(inspection.id)}/counts`, { counts, ...(data.get('note') ? { note: String(data.get('note')) } : {}) });
      return t('done');
    }),
  );
}

function results(inspection: Json): HTMLElement {
  return section(
    t('counted'),
    table(
      [t('lot'), t('counted'), t('verifiedQuantity'), t('variance'), t('status')],
      items(inspection.counts).map((c) => {
        const counted = obj(c.counted);
        const unit = str(counted.unit, '');
        return [
          str(c.lotId),
          `${formatNumber(num(counted.value))} ${unit}`,
          c.verified === null ? '—' : `${formatNumber(num(c.verified))} ${unit}`,
          c.variance === null ? '—' : `${formatNumber(num(c.variance))} ${unit}`,
          c.withinTolerance === true
            ? badge(t('withinTolerance'), 'ok')
            : opt(c.caseId) !== undefined
              ? el('a', { href: `#/case/${str(c.caseId)}` }, t('caseOpened'))
              : badge(t('variance'), 'warn'),
        ];
      }),
    ),
    ...(opt(inspection.note) !== undefined ? [el('p', {}, `${t('note')}: ${str(inspection.note)}`)] : []),
  );
}

registerPage({
  id: 'inspection',
  roles: READERS,
  path: /^\/inspection\/([0-9a-f-]{36})$/,
  async render(context, main, [id]) {
    const inspection = obj(await context.api.get(`/api/v1/inspections/${id}`));
    const status = str(inspection.status);
    const counting = status !== 'completed' && COUNTERS.includes(context.me.role);
    main.replaceChildren(
      heading(`${t('inspection')} ${str(inspection.site)}`),
      el('p', {}, el('a', { href: '#/inspections' }, t('back'))),
      el('p', {}, statusBadge(status), ` ${t('scheduledFor')}: ${formatTime(opt(inspection.scheduledFor))}`, status === 'completed' ? ` · ${formatTime(opt(inspection.completedAt))}` : ''),
      counting ? countForm(context, inspection) : results(inspection),
    );
  },
});
