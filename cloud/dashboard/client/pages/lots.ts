import { formatNumber, formatTime, t } from '../i18n.ts';
import { registerPage, EVERYONE } from '../page-registry.ts';
import { el, items, num, obj, opt, str, type Json } from '../read.ts';
import { badge, freshnessTag, heading, table } from '../widgets.ts';
import { formatMoney } from '../i18n.ts';

// A lot not verified for longer than this is marked stale (a gateway verifies every few minutes).
const STALE_MS = 15 * 60_000;

registerPage({
  id: 'lots',
  nav: 'navLots',
  roles: EVERYONE,
  path: /^\/lots$/,
  liveEvents: ['collateral.changed'],
  async render(context, main) {
    const receipts = items(await context.api.get('/api/v1/receipts?limit=500')).sort((a, b) => str(a.lotId).localeCompare(str(b.lotId)));
    // Operators get receipts without the bank's valuation, so the column is not shown to them.
    const valued = receipts.some((r) => r.valuation !== null && r.valuation !== undefined);
    const headers = [t('lot'), t('receipt'), 'site / zone', t('commodity'), t('lotState'), t('quantity'), t('lastVerified'), ...(valued ? [t('lendingValue')] : [])];
    const rows = receipts.map((r) => {
      const state = str(r.lotState, 'verified');
      const verified = obj(r.verifiedQuantity);
      const valuation = obj(r.valuation);
      return [
        el('a', { href: `#/lot/${encodeURIComponent(str(r.siteId))}/${encodeURIComponent(str(r.lotId))}` }, str(r.lotId)),
        str(r.number),
        `${str(r.siteId)} / ${str(r.zone)}`,
        str(r.commodity),
        badge(state, `state-${state}`),
        `${formatNumber(num(verified.value))} ${str(verified.unit, '')}`,
        el('span', {}, formatTime(opt(r.verifiedAt)), ' ', freshnessTag(opt(r.verifiedAt), STALE_MS)),
        ...(valued ? [formatMoney(num(valuation.lendingValue), str(valuation.currency, 'USD'))] : []),
      ];
    });
    main.replaceChildren(heading(t('navLots')), table(headers, rows));
  },
});

/** What the gateway reported about one lot: the tags expected, present and missing, and why its state changed. */
function evidenceOf(e: Json): string {
  const ev = obj(e.evidence);
  const parts = [
    ev.expected !== undefined ? `${t('expectedTags')} ${formatNumber(num(ev.expected))}` : '',
    ev.present !== undefined ? `${t('presentTags')} ${formatNumber(num(ev.present))}` : '',
    ev.missing !== undefined || ev.count !== undefined ? `${t('missingTags')} ${formatNumber(num(ev.missing ?? ev.count))}` : '',
    typeof ev.state === 'string' ? `${str(ev.previous, '')} → ${ev.state}` : '',
    typeof ev.reason === 'string' ? `${t('reason')}: ${ev.reason}` : '',
    Array.isArray(ev.missingEpcs) ? `EPC: ${(ev.missingEpcs as unknown[]).slice(0, 10).map((x) => str(x)).join(', ')}` : '',
  ];
  return parts.filter((p) => p !== '').join(' · ') || '—';
}

registerPage({
  id: 'lot',
  roles: EVERYONE,
  path: /^\/lot\/([^/]+)\/([^/]+)$/,
  liveEvents: ['collateral.changed', 'case.opened', 'case.updated', 'case.resolved'],
  async render(context, main, [siteParam, lotParam]) {
    const site = decodeURIComponent(siteParam ?? '');
    const lotId = decodeURIComponent(lotParam ?? '');
    const query = (extra: Record<string, string>) => new URLSearchParams({ site, lotId, ...extra }).toString();
    const [events, cases] = await Promise.all([
      context.api.get(`/api/v1/events?${query({ limit: '50' })}`).then(items, () => []),
      context.api.get(`/api/v1/alerts?${new URLSearchParams({ site, lotId, limit: '50' }).toString()}`).then(items, () => []),
    ]);
    const rows = events.map((stored) => {
      const e = obj(stored.event);
      return [formatTime(opt(e.ts)), str(e.type), badge(str(e.severity), `sev-${str(e.severity)}`), evidenceOf(e)];
    });
    main.replaceChildren(
      heading(`${t('lot')} ${lotId} · ${site}`),
      el('p', {}, el('a', { href: '#/lots' }, t('back'))),
      el('section', { class: 'card', 'aria-label': t('evidence') }, el('h3', {}, t('evidence')), table([t('when'), 'event', t('severity'), t('evidence')], rows)),
      el(
        'section',
        { class: 'card', 'aria-label': t('navCases') },
        el('h3', {}, t('navCases')),
        cases.length > 0
          ? el('ul', { class: 'cases' }, ...cases.map((c) => el('li', { class: `case sev-line-${str(c.severity)}` }, el('a', { href: `#/case/${str(c.id)}` }, `${str(c.reference)} · ${str(c.title)}`), ' ', badge(str(c.status), 'status'))))
          : el('p', { class: 'empty' }, t('nothing')),
      ),
    );
  },
});
