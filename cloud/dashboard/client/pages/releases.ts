import { formatNumber, formatTime, t } from '../i18n.ts';
import { registerPage, EVERYONE } from '../page-registry.ts';
import { el, items, num, opt, str } from '../read.ts';
import { actionForm, badge, heading, table } from '../widgets.ts';

registerPage({
  id: 'releases',
  nav: 'navReleases',
  roles: EVERYONE,
  path: /^\/releases$/,
  async render(context, main) {
    const orders = items(await context.api.get('/api/v1/release-orders?limit=200'));
    const decides = context.me.role === 'lender' || context.me.role === 'risk_officer';
    const rows = orders.map((o) => {
      const decision = el('div', { class: 'inline' });
      if (decides && o.status === 'requested') {
        for (const [label, action] of [
          [t('approve'), 'approve'],
          [t('refuse'), 'refuse'],
        ] as const) {
          decision.append(
            actionForm(context, label, [], async () => {
              await context.api.send('POST', `/api/v1/release-orders/${str(o.id)}/${action}`, {});
              return t('done');
            }),
          );
        }
      }
      return [str(o.reference), str(o.lotId), badge(str(o.status), 'status'), `${formatNumber(num(o.quantity))} ${str(o.unit, '')}`, formatTime(opt(o.requestedAt)), decision];
    });
    main.replaceChildren(heading(t('navReleases')), table([t('reference'), t('lot'), t('status'), t('quantity'), t('when'), t('action')], rows));
  },
});
