import { formatNumber, formatTime, t } from '../i18n.ts';
import { registerPage, type PageContext } from '../page-registry.ts';
import { el, items, num, obj, opt, str, type Json } from '../read.ts';
import { actionForm, badge, field, freshnessTag, heading, section, table } from '../widgets.ts';

// Who works cases: head office, the branch, lenders reading, operators for operations.
const CASE_ROLES = ['lender', 'risk_officer', 'branch_investigator', 'admin', 'warehouse_operator'] as const;
const STATUSES = ['active', 'open', 'acknowledged', 'investigating', 'resolved'] as const;
const SEVERITIES = ['critical', 'warning', 'info'] as const;
const FINDINGS = ['false_alarm', 'confirmed_loss', 'goods_restored', 'device_fault'] as const;
const filters = { status: 'active', severity: '' };

async function userNames(context: PageContext): Promise<Map<string, Json>> {
  // Only the bank's own staff are listed to it; others simply see ids.
  const users = await context.api.get('/api/v1/users').then(items, () => []);
  return new Map(users.map((u) => [str(u.id), u] as const));
}

function select(name: string, label: string, values: readonly string[], current: string, onChange: (v: string) => void): HTMLElement {
  const node = el('select', { name }, ...values.map((v) => el('option', { value: v, ...(v === current ? { selected: '' } : {}) }, v === '' ? t('all') : v)));
  node.addEventListener('change', () => onChange(node.value));
  return field(label, node);
}

registerPage({
  id: 'cases',
  nav: 'navCases',
  roles: CASE_ROLES,
  path: /^\/cases$/,
  liveEvents: ['case.opened', 'case.updated', 'case.resolved', 'case.escalated'],
  async render(context, main) {
    const query = new URLSearchParams({ limit: '200', status: filters.status, ...(filters.severity ? { severity: filters.severity } : {}) });
    const [cases, users] = await Promise.all([context.api.get(`/api/v1/alerts?${query.toString()}`).then(items), userNames(context)]);
    const bar = el(
      'div',
      { class: 'filters', role: 'group', 'aria-label': `${t('status')} / ${t('severity')}` },
      select('status', t('status'), STATUSES, filters.status, (v) => {
        filters.status = v;
        context.refresh();
      }),
      select('severity', t('severity'), ['', ...SEVERITIES], filters.severity, (v) => {
        filters.severity = v;
        context.refresh();
      }),
    );
    const list = el(
      'ul',
      { class: 'cases' },
      ...cases.map((c) =>
        el(
          'li',
          { class: `case sev-line-${str(c.severity)}` },
          el('a', { href: `#/case/${str(c.id)}` }, `${str(c.reference)} · ${str(c.title)}`),
          el(
            'div',
            { class: 'case-meta' },
            badge(str(c.severity), `sev-${str(c.severity)}`),
            ' ',
            badge(str(c.status), 'status'),
            c.overdue === true ? badge(t('overdue'), 'crit') : '',
            ` ${str(c.site, '')} ${str(c.lotId, '')} · ${t('assignee')}: ${str(obj(users.get(str(c.assigneeId))).email, c.assigneeId ? str(c.assigneeId).slice(0, 8) : '—')} · ${t('occurrences')}: ${formatNumber(num(c.occurrences))} · ${t('escalation')}: ${str(c.escalationLevel)} · ${t('due')}: ${formatTime(opt(c.dueAt))}`,
          ),
        ),
      ),
    );
    main.replaceChildren(heading(t('navCases')), bar, cases.length > 0 ? list : el('p', { class: 'empty' }, t('nothing')));
  },
});

/** What the gateway said: the reason, and for RFID the expected / present / missing tags. */
function reasonOf(c: Json): HTMLElement {
  const detail = obj(c.detail);
  const evidence = obj(detail.evidence ?? detail);
  const dl = el('dl', { class: 'figures' });
  const add = (label: string, value: unknown) => value !== undefined && value !== null && dl.append(el('dt', {}, label), el('dd', {}, typeof value === 'object' ? JSON.stringify(value) : str(value)));
  add(t('reason'), evidence.reason ?? detail.reason ?? evidence.state ?? detail.type);
  add(t('expectedTags'), evidence.expected);
  add(t('presentTags'), evidence.present);
  // tags.missing names its tags as {epc, urn} with the total in count (protocol/evidence); lot.verified counts `missing`.
  add(t('missingTags'), detail.eventType === 'tags.missing' ? evidence.count : evidence.missing);
  if (detail.eventType === 'tags.missing' && Array.isArray(evidence.tags)) add('EPC', items(evidence.tags).slice(0, 20).map((tag) => str(tag.epc)).join(', '));
  return dl;
}

function workflow(context: PageContext, c: Json, users: Map<string, Json>): HTMLElement[] {
  const { api, me } = context;
  const id = str(c.id);
  const status = str(c.status);
  const forms: HTMLElement[] = [];
  const act = (label: string, action: string) =>
    actionForm(context, label, [], async () => {
      await api.send('POST', `/api/v1/alerts/${id}/${action}`, {});
      return t('done');
    });
  const headOffice = me.role === 'risk_officer' || me.role === 'admin';
  const investigator = headOffice || me.role === 'branch_investigator';
  if (headOffice && status === 'open') forms.push(act(t('acknowledge'), 'acknowledge'));
  if (headOffice && status !== 'resolved') {
    const branch = [...users.values()].filter((u) => u.role === 'branch_investigator');
    const who = el('select', { name: 'userId', required: '' }, ...branch.map((u) => el('option', { value: str(u.id) }, str(u.email))));
    forms.push(
      actionForm(context, t('assign'), [field(t('assignee'), who)], async (data) => {
        await api.send('POST', `/api/v1/alerts/${id}/assign`, { userId: String(data.get('userId')) });
        return t('done');
      }),
    );
  }
  if (investigator && status === 'acknowledged') forms.push(act(t('investigate'), 'investigate'));
  if (investigator && (status === 'acknowledged' || status === 'investigating')) {
    const finding = el('select', { name: 'finding', required: '' }, ...FINDINGS.map((f) => el('option', { value: f }, f)));
    const quantity = el('input', { name: 'quantity', inputmode: 'decimal', pattern: '\\d+(\\.\\d+)?' });
    const unit = el('input', { name: 'unit', value: 'kg', maxlength: '16' });
    const note = el('textarea', { name: 'note', maxlength: '4000', rows: '2' });
    forms.push(
      actionForm(context, t('resolve'), [field(t('finding'), finding), field(t('quantity'), quantity), field('unit', unit), field(t('note'), note)], async (data) => {
        const kind = String(data.get('finding'));
        const q = String(data.get('quantity') ?? '');
        await api.send('POST', `/api/v1/alerts/${id}/resolve`, {
          finding: { kind, ...(kind === 'confirmed_loss' && q ? { quantity: { value: q, unit: String(data.get('unit')) } } : {}) },
          ...(data.get('note') ? { note: String(data.get('note')) } : {}),
        });
        return t('done');
      }),
    );
  }
  return forms;
}

const PHOTO_TYPES = ['image/jpeg', 'image/png'];
const MAX_PHOTO_BYTES = 8 * 1024 * 1024;

/** A photo behind the token: fetched with it, shown from a blob URL. */
function photo(context: PageContext, p: Json, alt: string): HTMLElement {
  const img = el('img', { alt, class: 'photo', loading: 'lazy', width: '320' });
  context.api.blob(str(p.url)).then(
    (blob) => {
      const url = URL.createObjectURL(blob);
      img.addEventListener('load', () => URL.revokeObjectURL(url), { once: true });
      img.src = url;
    },
    () => img.replaceWith(el('span', { class: 'muted' }, alt)),
  );
  return img;
}

function commentThread(context: PageContext, c: Json): HTMLElement {
  return el(
    'ol',
    { class: 'comments' },
    ...items(c.comments).map((m) => {
      const who = str(m.authorEmail ?? m.author);
      const photos = items(m.photos);
      return el(
        'li',
        {},
        el('strong', {}, who),
        ` · ${formatTime(opt(m.at))}`,
        el('p', {}, str(m.body)),
        ...(photos.length > 0 ? [el('div', { class: 'photos' }, ...photos.map((p, i) => photo(context, p, t('photoOf', { n: i + 1, who }))))] : []),
      );
    }),
  );
}

/** A comment and, optionally, photos taken on site: the comment first, then each photo on it. */
function commentForm(context: PageContext, caseId: string): HTMLFormElement {
  const comment = el('textarea', { name: 'body', required: '', maxlength: '4000', rows: '3' });
  const files = el('input', { name: 'photos', type: 'file', accept: PHOTO_TYPES.join(','), multiple: '' });
  return actionForm(context, t('addComment'), [field(t('comment'), comment), field(t('photos'), files)], async (data) => {
    const chosen = data.getAll('photos').filter((f): f is File => f instanceof File && f.size > 0);
    // Checked here too, so nothing is half-posted: the server checks again by magic bytes.
    for (const f of chosen) {
      if (!PHOTO_TYPES.includes(f.type)) throw new Error(t('photoWrongType', { name: f.name }));
      if (f.size > MAX_PHOTO_BYTES) throw new Error(t('photoTooLarge', { name: f.name }));
    }
    const created = obj(await context.api.send('POST', `/api/v1/alerts/${caseId}/comments`, { body: String(data.get('body')) }));
    for (const f of chosen) await context.api.sendFile(`/api/v1/alerts/${caseId}/comments/${str(created.id)}/photos`, f, f.type);
    return t('done');
  });
}

registerPage({
  id: 'case',
  roles: CASE_ROLES,
  path: /^\/case\/([0-9a-f-]{36})$/,
  liveEvents: ['case.updated', 'case.resolved', 'case.escalated'],
  async render(context, main, [id]) {
    const [c, users] = await Promise.all([context.api.get(`/api/v1/alerts/${id}`).then(obj), userNames(context)]);
    main.replaceChildren(
      heading(`${str(c.reference)} · ${str(c.title)}`),
      el('p', {}, el('a', { href: '#/cases' }, t('back_to_cases'))),
      section(
        t('status'),
        el('p', {}, badge(str(c.severity), `sev-${str(c.severity)}`), ' ', badge(str(c.status), 'status'), c.overdue === true ? badge(t('overdue'), 'crit') : ''),
        el(
          'p',
          { class: 'muted' },
          `${str(c.site, '')} ${str(c.lotId, '')} · ${t('opened')} ${formatTime(opt(c.openedAt))} · ${t('due')} ${formatTime(opt(c.dueAt))} · ${t('assignee')}: ${str(obj(users.get(str(c.assigneeId))).email, '—')} · ${t('occurrences')}: ${formatNumber(num(c.occurrences))} · ${t('escalation')}: ${str(c.escalationLevel)}`,
        ),
        el('p', {}, `${t('lastEvent')}: `, freshnessTag(opt(c.lastEventAt), 30 * 60_000)),
        reasonOf(c),
        c.finding ? el('p', {}, `${t('finding')}: ${str(obj(c.finding).kind)} ${str(c.resolutionNote, '')}`) : '',
      ),
      section(t('action'), ...workflow(context, c, users)),
      section(
        t('evidence'),
        table([t('when'), 'kind', 'ref', t('note')], items(c.evidence).map((e) => [formatTime(opt(e.at)), str(e.kind), evidenceRef(context, e), str(e.note, '')])),
      ),
      section(t('comments'), commentThread(context, c), commentForm(context, String(id))),
    );
  },
});

/**
 * Snapshots and clips stored as attachments are shown inline; other references as text.
 * The bytes need the user's token, which an `src` URL cannot carry: they are fetched with
 * it and shown from a blob URL.
 */
function evidenceRef(context: PageContext, e: Json): Node {
  const ref = str(e.ref);
  const sha = /^(?:sha256:)?([0-9a-f]{64})$/.exec(ref)?.[1];
  if (sha === undefined) return document.createTextNode(ref);
  const label = `${e.kind === 'audio_clip' ? 'audio clip' : 'camera crop'} ${sha.slice(0, 12)}`;
  const media = e.kind === 'audio_clip' ? el('audio', { controls: '', preload: 'none', 'aria-label': label }) : el('img', { alt: label, width: '240' });
  void fetch(`/api/v1/attachments/${sha}`, { headers: { authorization: `Bearer ${context.api.token}` } })
    .then(async (res) => {
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      (media as HTMLImageElement | HTMLAudioElement).src = URL.createObjectURL(await res.blob());
    })
    .catch(() => media.replaceWith(document.createTextNode(`${label} (not available)`)));
  return media;
}
