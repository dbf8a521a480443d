import { formatNumber, formatTime, t } from '../i18n.ts';
import { registerPage, EVERYONE } from '../page-registry.ts';
import { el, items, num, obj, opt, str } from '../read.ts';
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
        str(r.lotId),
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
