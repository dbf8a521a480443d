import { createApi, login, type Api } from './api.ts';
import { renderCases, renderEvents, renderFacilities, renderLots, renderPrices } from './views.ts';

const TOKEN_KEY = 'collateral-monitor-token';
const $ = (id: string): HTMLElement => {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} missing from the page`);
  return node;
};

let live: EventSource | undefined;
let refreshTimer: number | undefined;

function showLogin(message = ''): void {
  sessionStorage.removeItem(TOKEN_KEY);
  live?.close();
  if (refreshTimer) window.clearInterval(refreshTimer);
  $('app-view').hidden = true;
  $('logout').hidden = true;
  $('login-view').hidden = false;
  $('who').textContent = '';
  $('login-error').textContent = message;
  setLive(false);
}

function sessionEnded(reason: string | undefined): string {
  return `Your session ended${reason ? `: ${reason}` : ''}. Please sign in again.`;
}

function setLive(on: boolean): void {
  const badge = $('live');
  badge.textContent = on ? 'live' : 'offline';
  badge.className = `badge ${on ? 'on' : 'off'}`;
}

async function refreshAll(api: Api): Promise<void> {
  await Promise.all([
    renderFacilities(api, $('facilities')),
    renderLots(api, document.querySelector('#lots tbody') ?? $('lots')),
    renderCases(api, $('cases')),
    renderPrices(api, $('prices')),
    renderEvents(api, $('events')),
  ]);
}

/**
 * Server-Sent Events drive the page: any case or collateral change refreshes what it
 * touches. EventSource cannot send headers, hence the token in the query string.
 */
function connectLive(api: Api): void {
  live?.close();
  live = new EventSource(`/api/v1/live?access_token=${encodeURIComponent(api.token)}`);
  live.onopen = () => setLive(true);
  live.onerror = () => setLive(false);
  const onCase = () => void renderCases(api, $('cases'));
  const onCollateral = () => void renderFacilities(api, $('facilities'));
  for (const name of ['case.opened', 'case.updated', 'case.resolved', 'case.escalated']) live.addEventListener(name, onCase);
  live.addEventListener('collateral.changed', onCollateral);
  // The server ends the stream when the token expires or the account is disabled or changed.
  live.addEventListener('revoked', (event) => {
    const { reason } = JSON.parse((event as MessageEvent<string>).data) as { reason?: string };
    showLogin(sessionEnded(reason));
  });
  live.onmessage = () => void refreshAll(api);
}

async function start(token: string): Promise<void> {
  const api = createApi(token, (reason) => showLogin(sessionEnded(reason)));
  const me = (await api.get('/api/v1/auth/me')) as { email?: string; role?: string; tenantId?: string };
  $('who').textContent = `${me.email ?? ''} · ${me.role ?? ''} · ${me.tenantId ?? ''}`;
  $('login-view').hidden = true;
  $('app-view').hidden = false;
  $('logout').hidden = false;
  await refreshAll(api);
  connectLive(api);
  // Gateway events arrive continuously; a gentle poll keeps the lot table and feed current.
  refreshTimer = window.setInterval(() => {
    void renderLots(api, document.querySelector('#lots tbody') ?? $('lots'));
    void renderEvents(api, $('events'));
  }, 5_000);
}

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = new FormData(event.target as HTMLFormElement);
  login(String(form.get('email')), String(form.get('password'))).then(
    ({ token }) => {
      sessionStorage.setItem(TOKEN_KEY, token);
      return start(token);
    },
    (error: Error) => ($('login-error').textContent = error.message),
  );
});
$('logout').addEventListener('click', () => showLogin());

const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) start(saved).catch(() => showLogin());
else showLogin();
