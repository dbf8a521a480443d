import { formatTime, t } from '../i18n.ts';
import { registerPage } from '../page-registry.ts';
import { el, items, obj, opt, str } from '../read.ts';
import { actionForm, heading, table } from '../widgets.ts';

registerPage({
  id: 'audit',
  nav: 'navAudit',
  roles: ['lender', 'risk_officer', 'admin'],
  path: /^\/audit$/,
  async render(context, main) {
    const entries = items(await context.api.get('/api/v1/audit?limit=100'));
    const parts: HTMLElement[] = [heading(t('navAudit'))];
    if (context.me.role === 'admin') {
      parts.push(
        actionForm(context, t('verify'), [], async () => {
          const result = obj(await context.api.get('/api/v1/audit/verify'));
          return result.ok === false ? `${t('broken', { seq: str(result.seq) })}: ${str(result.message, '')}` : t('verified', { n: str(result.count) });
        }),
      );
    }
    parts.push(table(['#', t('when'), t('actor'), t('action'), t('entity')], entries.map((e) => [str(e.seq), formatTime(opt(e.at)), str(e.actor), str(e.action), el('span', {}, `${str(e.entityType)} ${str(e.entityId)}`)])));
    main.replaceChildren(...parts);
  },
});
