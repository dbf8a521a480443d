import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether browser suites can run. Without Chromium they skip with one printed line, so
 * `npm test` passes on a machine with only Node; `.ci/run` installs Chromium and sets
 * REQUIRE_BROWSER=1, where a missing browser fails instead.
 */
export function browserAvailable(suite: string): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.REQUIRE_BROWSER === '1') throw new Error(`${suite}: Chromium not found at ${CHROMIUM_PATH} and REQUIRE_BROWSER=1`);
  console.log(`${suite}: skipped, no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH; .ci/run installs it)`);
  return false;
}

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core (WCAG 2.1 A and AA) on the page as it is: its serious and critical violations, each named after `name`. */
export async function seriousAxeViolations(page: Page, name: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } })).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${name}: ${v.id} (${v.help}) at ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
}

export interface SignInOptions {
  viewport?: { width: number; height: number };
  locale?: 'en' | 'zh-CN';
  timeoutMs?: number;
}

/** A fresh browser context signed in to the dashboard at `baseUrl`, page errors logged. */
export async function signInToDashboard(browser: Browser, baseUrl: string, email: string, password: string, options: SignInOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 }, locale: options.locale ?? 'en' });
  context.setDefaultTimeout(options.timeoutMs ?? 10_000);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`${email}: page error: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && !message.location().url.endsWith('/favicon.ico') && console.log(`${email}: console: ${message.text()}`));
  await page.goto(`${baseUrl}/`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('#login-button');
  await page.waitForSelector('#app-view:not([hidden]) .page-title');
  return page;
}
