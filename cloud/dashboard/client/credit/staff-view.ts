// What bank staff see on the credit page: the model report, the decisions per merchant
// with their reasons and audit trail, and the actions (import platform transactions,
// score and decide a merchant, and, for the risk officer, the monthly re-scoring).
import { formatNumber, t } from '../i18n.ts';
import type { PageContext } from '../page-registry.ts';
import { el, items, num, obj, str, type Json } from '../read.ts';
import { actionForm, field, section } from '../widgets.ts';
import { tc, term } from './credit-messages.ts';
import { decisionCard } from './decision-cards.ts';
import { modelReport } from './model-report.ts';

const lastMonth = (): string => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
};

function importer(context: PageContext): HTMLElement {
  const file = el('input', { type: 'file', name: 'file', accept: '.csv,text/csv', required: '' });
  const bar = el('progress', { max: '1', value: '0', 'aria-label': tc('importTransactions') });
  const message = el('p', { role: 'status', class: 'form-message' });
  const refused = el('div');
  const button = el('button', { type: 'submit' }, tc('importTransactions'));
  const form = el('form', { class: 'action' }, field(tc('importTransactions'), file), bar, button, message, refused);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (chosen === undefined) return;
    button.disabled = true;
    message.className = 'form-message';
    void chosen
      .text()
      .then((text) => context.api.upload('/api/v1/credit/transactions/import', text, 'text/csv', (f) => (bar.value = f)))
      .then(
        (summary) => {
          const s = obj(summary);
          message.textContent = tc('imported', { accepted: formatNumber(num(s.accepted), 0), duplicates: formatNumber(num(s.duplicates), 0), rejected: formatNumber(items(s.rejected).length, 0), bad: formatNumber(num(s.badRowCount), 0) });
          const bad = items(s.badRows);
          refused.replaceChildren(...(bad.length === 0 ? [] : [el('details', {}, el('summary', {}, tc('badRowsTitle')), el('ul', {}, ...bad.map((b) => el('li', {}, `${str(b.line)}: ${str(b.message)}`))))]));
          context.announce(message.textContent);
        },
        (error: Error) => {
          message.className = 'form-message error';
          message.textContent = error.message;
          context.announce(error.message);
        },
      )
      .finally(() => (button.disabled = false));
  });
  return form;
}

function actions(context: PageContext): HTMLElement {
  const merchant = el('input', { name: 'merchantId', required: '', maxlength: '64', autocomplete: 'off' });
  const month = el('input', { name: 'month', type: 'month', required: '', value: lastMonth() });
  const decide = actionForm(context, tc('decide'), [field(tc('merchantId'), merchant), field(t('month'), month)], async (data) => {
    const d = obj(await context.api.send('POST', '/api/v1/credit/decisions', { merchantId: String(data.get('merchantId')).trim(), month: String(data.get('month')) }));
    return tc('decided', { merchant: str(d.merchantId), outcome: term('outcome', str(d.outcome)), score: formatNumber(num(d.score), 0) });
  });
  const parts: HTMLElement[] = [decide];
  if (context.me.role === 'risk_officer') {
    const rescoreMonth = el('input', { name: 'month', type: 'month', required: '', value: lastMonth() });
    parts.push(
      actionForm(context, tc('rescore'), [field(t('month'), rescoreMonth)], async (data) => {
        const month = String(data.get('month'));
        const r = obj(await context.api.send('POST', '/api/v1/credit/rescore', { month }));
        return tc('rescored', { month, n: formatNumber(num(r.scored), 0), w: formatNumber(num(r.warnings), 0), psi: formatNumber(num(r.scorePsi)) });
      }),
    );
  }
  parts.push(importer(context));
  return section(tc('decide'), el('div', { class: 'columns' }, ...parts));
}

export async function staffView(context: PageContext): Promise<HTMLElement[]> {
  const decisions: Json[] = items(await context.api.get('/api/v1/credit/decisions'));
  const report = await modelReport(context, decisions);
  const list =
    decisions.length === 0
      ? el('p', { class: 'empty' }, tc('noDecisions'))
      : el('div', { class: 'grid' }, ...decisions.map((d) => decisionCard(context, d)));
  return [report, section(tc('decisions'), list), actions(context)];
}
