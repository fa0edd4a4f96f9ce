// Browser-test harness: a built client, one Debian Chromium per test file driven by playwright-core,
// pages that fail on any CSP violation or script error, token sign-in, and screenshots at two widths.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestForum, type TestForum } from '../support/forum';
import { sentTo, startSmtpServer, type TestSmtpServer } from '../support/smtp';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.resolve('test/browser/screenshots');
export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

/** `npm test` builds the client first; a single browser test file run on a fresh checkout builds it here. */
export function ensureClientBuilt(): void {
  if (existsSync(path.resolve('dist/client/index.html')) && existsSync(path.resolve('dist/client/ssr/render.js'))) return;
  execFileSync(process.execPath, [require.resolve('webpack-cli/bin/cli.js'), '--mode', 'production'], { stdio: 'inherit', timeout: 300_000 });
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/ensure-test-deps.sh (apt-get install chromium).`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface BrowserForum {
  forum: TestForum;
  browser: Browser;
  url: string;
  /** The SMTP server the forum sends to: tests follow links from the messages it received. */
  mail: TestSmtpServer;
  close(): Promise<void>;
}

export async function startBrowserForum(): Promise<BrowserForum> {
  ensureClientBuilt();
  const mail = await startSmtpServer();
  const forum = await startTestForum({ mailTransport: 'smtp', smtpUrl: mail.url, mailQueue: { pollMs: 100 } });
  const url = await forum.startListening();
  const browser = await launchBrowser();
  return {
    forum,
    browser,
    url,
    mail,
    async close() {
      await browser.close();
      await forum.close();
      await mail.close();
    },
  };
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** CSP violations and uncaught script errors seen so far; tests assert it stays empty. */
  problems: string[];
}

/** A fresh context (its own storage) with one page that records every CSP violation and page error. */
export async function openPage(browser: Browser, viewport = DESKTOP): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport, acceptDownloads: true, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { page, context, problems };
}

/**
 * The address of the newest link to `path` in the messages the SMTP server accepted for `to`, on this test
 * server (messages carry PUBLIC_URL, which tests leave at its default). With `olderLink`, waits for a newer one.
 */
export async function linkFromMail(env: BrowserForum, to: string, path: string, olderLink?: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const links = env.mail.accepted
      .filter(sentTo(to))
      .flatMap((mail) => mail.links)
      .map((link) => new URL(link))
      .filter((link) => link.pathname === path);
    const newest = links[links.length - 1];
    const found = newest ? `${env.url}${newest.pathname}${newest.search}` : null;
    if (found && found !== olderLink) return found;
    if (Date.now() > deadline) throw new Error(`no message to ${to} with a link to ${path}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Signs a page in the way the client does it: the token in localStorage, then a reload. */
export async function signInWithToken(page: Page, baseUrl: string, token: string, path = '/home'): Promise<void> {
  await page.goto(`${baseUrl}/signin`);
  await page.evaluate(`localStorage.setItem('forum.token', ${JSON.stringify(token)})`);
  await page.goto(`${baseUrl}${path}`);
}

/** Full-page screenshots at desktop (1280 px) and phone (390 px) widths into the screenshots folder. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const original = page.viewportSize() ?? DESKTOP;
  // A sticky header lands mid-image in a full-page capture taken while scrolled.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-1280.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-390.png`), fullPage: true });
  await page.setViewportSize(original);
}

