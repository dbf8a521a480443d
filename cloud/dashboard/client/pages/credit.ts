// Credit pages of the dashboard (issue 24), self-contained: the risk officer's model
// report and decisions, and the merchant's (borrower's) offers with accept. They talk to
// /api/v1/credit like any client; the shell registers them with one line, e.g.
//   registerPage({ id: 'credit', nav: 'nav.credit', roles: ['lender', 'risk_officer', 'borrower'], path: /^credit$/,
//                  render: (ctx, main) => renderCreditPage(creditClient(ctx.api.token), ctx.me.role, main, ctx.refresh) });
// Text goes in with textContent only: merchant names and labels come from outside.

export interface CreditClient {
  get(path: string): Promise<unknown>;
  post(path: string, body?: unknown): Promise<unknown>;
}

export function creditClient(token: string): CreditClient {
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json().catch(() => ({}))) as { message?: string };
    if (!res.ok) throw new Error(json.message ?? `${path}: HTTP ${res.status}`);
    return json;
  };
  return { get: (path) => call('GET', path), post: (path, body) => call('POST', path, body) };
}

interface Bin {
  label: string;
  goods: number;
  bads: number;
  woe: number;
  points: number;
}
interface Feature {
  feature: string;
  iv: number;
  coefficient: number;
  trend: string;
  bins: Bin[];
}
interface Report {
  card: { version: string; createdAt: string; validation: { auc: number; ks: number; gini: number; rows: number; folds: unknown[] }; model: { features: Feature[]; excluded: { feature: string; iv: number; reason: string }[] } };
  stability: { month: string; merchants: number; scorePsi: number; shifted: boolean }[];
}
interface Decision {
  id: string;
  merchantId: string;
  month: string;
  score: number;
  pd: number;
  outcome: string;
  status: string;
  limit: { amount: string; currency: string } | null;
  annualRate: string | null;
  facilityId: string | null;
  expiresAt: string;
  explanation: { rules?: { rule: string; passed: boolean; detail: string }[]; reasons?: { feature: string; bin: string; pointsLost: number }[] };
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className !== undefined) node.className = className;
  return node;
}

function table(headers: readonly string[], rows: readonly (readonly string[])[], caption: string): HTMLTableElement {
  const t = el('table');
  t.append(el('caption', caption));
  const head = el('tr');
  for (const h of headers) {
    const th = el('th', h);
    th.scope = 'col';
    head.append(th);
  }
  t.append(el('thead'), el('tbody'));
  t.tHead?.append(head);
  for (const r of rows) {
    const tr = el('tr');
    for (const cell of r) tr.append(el('td', cell));
    t.tBodies[0]?.append(tr);
  }
  return t;
}

const percent = (x: number): string => `${(x * 100).toFixed(1)} %`;

export async function renderModelReport(client: CreditClient, main: HTMLElement): Promise<void> {
  const report = (await client.get('/api/v1/credit/models/active')) as Report;
  const { card } = report;
  const v = card.validation;
  main.append(el('h2', `Scorecard ${card.version}`));
  main.append(el('p', `AUC ${v.auc.toFixed(3)} · KS ${v.ks.toFixed(3)} · Gini ${v.gini.toFixed(3)} on ${v.rows} rows, ${v.folds.length}-fold cross-validation`));
  for (const f of card.model.features) {
    main.append(
      table(
        ['class', 'goods', 'bads', 'bad rate', 'WoE', 'points'],
        f.bins.map((b) => [b.label, String(b.goods), String(b.bads), percent(b.bads / Math.max(1, b.goods + b.bads)), b.woe.toFixed(3), b.points.toFixed(0)]),
        `${f.feature}: IV ${f.iv.toFixed(3)}, β ${f.coefficient.toFixed(3)}, ${f.trend}`,
      ),
    );
  }
  if (card.model.excluded.length > 0) main.append(table(['characteristic', 'IV', 'why not used'], card.model.excluded.map((e) => [e.feature, e.iv.toFixed(3), e.reason]), 'Left out'));
  main.append(table(['month', 'merchants', 'score PSI', 'shifted'], report.stability.map((s) => [s.month, String(s.merchants), s.scorePsi.toFixed(3), s.shifted ? 'yes (case opened)' : 'no']), 'Population stability'));
}

function explanation(d: Decision): HTMLElement {
  const box = el('div');
  const rules = el('ul');
  for (const r of d.explanation.rules ?? []) rules.append(el('li', `${r.passed ? '✓' : '✗'} ${r.rule}: ${r.detail}`, r.passed ? 'ok' : 'failed'));
  const reasons = el('ol');
  for (const r of d.explanation.reasons ?? []) reasons.append(el('li', `${r.feature} (${r.bin}): −${r.pointsLost.toFixed(0)} points`));
  box.append(el('h4', 'Policy'), rules, el('h4', 'Reason codes'), reasons);
  return box;
}

function decisionCard(d: Decision): HTMLElement {
  const card = el('article', undefined, `decision ${d.outcome}`);
  const line = d.limit === null ? 'no line' : `${d.limit.amount} ${d.limit.currency} at ${(Number(d.annualRate) * 100).toFixed(2)} %`;
  card.append(el('h3', `${d.merchantId} · ${d.month} · ${d.outcome} (${d.status})`), el('p', `score ${d.score.toFixed(0)}, PD ${percent(d.pd)}, ${line}`), explanation(d));
  return card;
}

export async function renderDecisions(client: CreditClient, main: HTMLElement): Promise<void> {
  const { items } = (await client.get('/api/v1/credit/decisions')) as { items: Decision[] };
  main.append(el('h2', 'Credit decisions'));
  if (items.length === 0) main.append(el('p', 'No decisions yet.'));
  for (const d of items) main.append(decisionCard(d));
}

export async function renderOffers(client: CreditClient, main: HTMLElement, refresh: () => void): Promise<void> {
  const { items } = (await client.get('/api/v1/credit/decisions')) as { items: Decision[] };
  main.append(el('h2', 'Your credit offers'));
  if (items.length === 0) main.append(el('p', 'No offer yet.'));
  for (const d of items) {
    const card = decisionCard(d);
    if (d.status === 'offered') {
      const accept = el('button', `Accept ${d.limit?.amount ?? ''} ${d.limit?.currency ?? ''} (offer valid until ${d.expiresAt.slice(0, 10)})`);
      accept.type = 'button';
      accept.addEventListener('click', () => {
        accept.disabled = true;
        client.post(`/api/v1/credit/decisions/${d.id}/accept`).then(refresh, (error: unknown) => {
          accept.disabled = false;
          card.append(el('p', error instanceof Error ? error.message : 'could not accept', 'error'));
        });
      });
      card.append(accept);
    } else if (d.facilityId !== null) {
      const link = el('a', 'Draw and repay on your facility');
      link.href = `#facilities/${d.facilityId}`;
      card.append(link);
    }
    main.append(card);
  }
}

export async function renderCreditPage(client: CreditClient, role: string, main: HTMLElement, refresh: () => void): Promise<void> {
  if (role === 'borrower') return renderOffers(client, main, refresh);
  if (role === 'risk_officer') await renderModelReport(client, main);
  return renderDecisions(client, main);
}
