import type { PageContext } from './page-registry.ts';
import { freshness, t } from './i18n.ts';
import { el } from './read.ts';

/** A page heading that takes focus, so keyboard and screen-reader users land on the new content. */
export function heading(text: string): HTMLHeadingElement {
  const h = el('h2', { tabindex: '-1', class: 'page-title' }, text);
  queueMicrotask(() => h.focus());
  return h;
}

export function section(title: string, ...children: (Node | string)[]): HTMLElement {
  const id = `s-${Math.random().toString(36).slice(2, 9)}`;
  return el('section', { class: 'card', 'aria-labelledby': id }, el('h3', { id }, title), ...children);
}

export function badge(text: string, kind: string): HTMLElement {
  return el('span', { class: `badge ${kind}` }, text);
}

export function freshnessTag(iso: string | undefined, staleMs: number): HTMLElement {
  const f = freshness(iso, staleMs);
  const node = el('span', { class: f.stale ? 'fresh stale' : 'fresh', ...(iso ? { title: iso } : {}) }, f.text);
  if (f.stale && iso !== undefined) node.append(' ', badge(t('stale'), 'warn'));
  return node;
}

export function table(headers: readonly string[], rows: readonly (readonly (Node | string)[])[], caption?: string): HTMLElement {
  if (rows.length === 0) return el('p', { class: 'empty' }, t('nothing'));
  const tableNode = el(
    'table',
    {},
    el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c))))),
  );
  if (caption !== undefined) tableNode.prepend(el('caption', {}, caption));
  // Wide tables scroll inside their box instead of widening the page on a phone.
  // Focusable, so keyboard users can scroll it too.
  return el('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': caption ?? headers.slice(0, 3).join(', ') }, tableNode);
}

export function field(label: string, input: HTMLElement): HTMLElement {
  return el('label', { class: 'field' }, el('span', {}, label), input);
}

/** A form whose submit runs `action`; failures show the server's message next to it and are announced. */
export function actionForm(context: PageContext, submitLabel: string, fields: HTMLElement[], action: (data: FormData) => Promise<string | undefined>): HTMLFormElement {
  const message = el('p', { class: 'form-message', role: 'status' });
  const button = el('button', { type: 'submit' }, submitLabel);
  const form = el('form', { class: 'action' }, ...fields, button, message);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    button.disabled = true;
    message.className = 'form-message';
    action(new FormData(form)).then(
      (done) => {
        button.disabled = false;
        if (done !== undefined) {
          // The page re-renders below, so the outcome is told in a toast that outlives it.
          context.toast(done);
          context.announce(done);
        }
        context.refresh();
      },
      (error: Error) => {
        button.disabled = false;
        message.className = 'form-message error';
        message.textContent = error.message;
        context.announce(error.message);
      },
    );
  });
  return form;
}
