import { createApi, login, type Api } from './api.ts';
import { currentLocale, freshness, setLocale, setTimeZone, t, type Locale } from './i18n.ts';
import { pagesFor, type Me, type Page, type PageContext } from './page-registry.ts';
import { el, items, obj, str } from './read.ts';
import './pages/index.ts';
import { rememberFormEdits } from './form-state.ts';

const TOKEN_KEY = 'collateral-monitor-token';
const $ = (id: string): HTMLElement => {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} missing from the page`);
  return node;
};

interface Session {
  api: Api;
  me: Me;
  live?: EventSource;
  lastMessageAt?: string;
  unseenCases: number;
  clock?: number;
}
let session: Session | undefined;

function announce(message: string): void {
  const node = $('announcer');
  node.textContent = '';
  // A new text node after clearing makes screen readers speak repeated messages too.
  window.setTimeout(() => (node.textContent = message), 50);
}

function toast(message: string, kind: 'info' | 'error' = 'info'): void {
  const node = el('div', { class: `toast ${kind}` }, message);
  $('toasts').append(node);
  window.setTimeout(() => node.remove(), 8_000);
}

/** Texts of the static shell in the chosen language. */
function translateShell(): void {
  document.documentElement.lang = currentLocale();
  ($('lang') as HTMLSelectElement).value = currentLocale();
  $('app-title').textContent = t('appTitle');
  $('lang-label').textContent = t('language');
  $('login-title').textContent = t('signIn');
  $('email-label').textContent = t('email');
  $('password-label').textContent = t('password');
  $('login-button').textContent = t('signIn');
  $('logout').textContent = t('signOut');
  updateTitle();
  updateLive();
}

function updateTitle(): void {
  const unseen = session?.unseenCases ?? 0;
  document.title = unseen > 0 ? `(${unseen}) ${t('appTitle')}` : t('appTitle');
}

function updateLive(): void {
  const badge = $('live');
  const open = session?.live?.readyState === EventSource.OPEN;
  const since = freshness(session?.lastMessageAt, 60_000);
  badge.textContent = open ? `${t('live')} · ${since.text}` : t('offline');
  badge.className = `badge ${open ? 'on' : 'off'}`;
}

function showLogin(message = ''): void {
  sessionStorage.removeItem(TOKEN_KEY);
  session?.live?.close();
  if (session?.clock !== undefined) window.clearInterval(session.clock);
  session = undefined;
  $('app-view').hidden = true;
  $('logout').hidden = true;
  $('nav').replaceChildren();
  $('login-view').hidden = false;
  $('who').textContent = '';
  $('login-error').textContent = message;
  updateLive();
  updateTitle();
}

function currentPage(): { page: Page; params: string[] } | undefined {
  if (!session) return undefined;
  const path = location.hash.replace(/^#/, '') || '/';
  for (const page of pagesFor(session.me.role)) {
    const m = page.path.exec(path);
    if (m) return { page, params: m.slice(1) };
  }
  const first = pagesFor(session.me.role)[0];
  return first ? { page: first, params: [] } : undefined;
}

function context(): PageContext {
  if (!session) throw new Error('no session');
  return { api: session.api, me: session.me, announce, toast, refresh: () => void render() };
}

let rendering = Promise.resolve();
function render(): Promise<void> {
  // One render at a time: a live event during a render waits for it.
  rendering = rendering.then(async () => {
    const found = currentPage();
    const view = $('app-view');
    if (!found || !session) return;
    $('nav').querySelectorAll('a').forEach((link) => {
      if (link.dataset.page === found.page.id) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    });
    try {
      await found.page.render(context(), view, found.params);
    } catch (error) {
      view.replaceChildren(el('p', { class: 'error', role: 'alert' }, (error as Error).message));
    }
  });
  return rendering;
}

const formEdits = rememberFormEdits($('app-view'));

/** A live re-render that keeps what the user is typing into the page's forms. */
async function refreshKeepingInput(): Promise<void> {
  await render();
  formEdits.restore();
}

function buildNav(me: Me): void {
  $('nav').replaceChildren(
    el('ul', {}, ...pagesFor(me.role).filter((p) => p.nav !== undefined).map((p) => el('li', {}, el('a', { href: `#/${p.id}`, 'data-page': p.id }, t(p.nav ?? 'appTitle'))))),
  );
}

/**
 * Server-Sent Events drive the page: the current page re-renders on the events it
 * listens to; a new case is toasted, announced and counted in the title.
 */
function connectLive(s: Session): void {
  s.live?.close();
  const live = new EventSource(`/api/v1/live?access_token=${encodeURIComponent(s.api.token)}`);
  s.live = live;
  live.onopen = updateLive;
  live.onerror = updateLive;
  const onEvent = (name: string) => (event: MessageEvent<string>) => {
    s.lastMessageAt = new Date().toISOString();
    updateLive();
    if (name === 'case.opened') {
      const c = obj(JSON.parse(event.data) as unknown);
      const message = t('newCase', { title: `${str(c.reference, '')} ${str(c.title, '')}` });
      s.unseenCases += 1;
      updateTitle();
      toast(message, c.severity === 'critical' ? 'error' : 'info');
      announce(message);
    }
    if (currentPage()?.page.liveEvents?.includes(name)) void refreshKeepingInput();
  };
  for (const name of ['ready', 'case.opened', 'case.updated', 'case.resolved', 'case.escalated', 'collateral.changed']) live.addEventListener(name, onEvent(name) as EventListener);
  live.addEventListener('reset', () => void render());
  // The server ends the stream when the token expires or the account is disabled or changed.
  live.addEventListener('revoked', (event) => {
    const { reason } = JSON.parse((event as MessageEvent<string>).data) as { reason?: string };
    showLogin(t('sessionEnded', { reason: reason ? `: ${reason}` : '' }));
  });
}

async function start(token: string): Promise<void> {
  const api = createApi(token, (reason) => showLogin(t('sessionEnded', { reason: reason ? `: ${reason}` : '' })));
  const me = obj(await api.get('/api/v1/auth/me'));
  const s: Session = { api, me: { id: str(me.id), email: str(me.email), role: str(me.role), tenantId: str(me.tenantId) }, unseenCases: 0 };
  session = s;
  // Times are shown in the site's zone: the first site the user has a stake in.
  const sites = await api.get('/api/v1/sites').then(items, () => []);
  setTimeZone(str(sites[0]?.timezone, 'UTC'));
  $('who').textContent = `${s.me.email} · ${s.me.role}`;
  $('login-view').hidden = true;
  $('app-view').hidden = false;
  $('logout').hidden = false;
  buildNav(s.me);
  connectLive(s);
  s.clock = window.setInterval(updateLive, 30_000);
  await render();
}

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = new FormData(event.target as HTMLFormElement);
  login(String(form.get('email')), String(form.get('password'))).then(
    ({ token }) => {
      sessionStorage.setItem(TOKEN_KEY, token);
      return start(token);
    },
    (error: Error) => {
      $('login-error').textContent = error.message;
      ($('password') as HTMLInputElement).focus();
    },
  );
});

$('logout').addEventListener('click', () => {
  // The server ends every token of the user (a copy left elsewhere too); the page forgets
  // its own at once, whether or not the network answers.
  const api = session?.api;
  void api?.send('POST', '/api/v1/auth/logout').catch(() => undefined);
  showLogin();
  $('email').focus();
});

$('lang').addEventListener('change', () => {
  setLocale(($('lang') as HTMLSelectElement).value as Locale);
  translateShell();
  if (session) {
    buildNav(session.me);
    void render();
  }
});
window.addEventListener('hashchange', () => {
  formEdits.clear();
  // Opening the inbox is seeing the new cases; a live re-render of it is not.
  if (session && currentPage()?.page.id === 'cases') {
    session.unseenCases = 0;
    updateTitle();
  }
  void render();
});

translateShell();
const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) start(saved).catch(() => showLogin());
else showLogin();
