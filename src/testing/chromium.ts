// Headless Chromium for the report tests (Debian's chromium, installed by .ci/run): launching it, and opening a page
// from a file while recording every request it makes and every console or page error.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((path) => existsSync(path)) ?? '/usr/bin/chromium';

/** Chromium headless, with the flags this machine needs (no sandbox as root, no GPU, no background requests). */
export function launchChromium(): Promise<Browser> {
  return puppeteer.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

export interface Visit {
  page: Page;
  requests: string[];
  errors: string[];
  url: string;
}

/** Writes `html` to `dir/name.html` and opens it from its file: URL, recording every request and every console or page error. */
export async function openPage(browser: Browser, dir: string, name: string, html: string): Promise<Visit> {
  const path = join(dir, `${name}.html`);
  writeFileSync(path, html);
  const page = await browser.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => void requests.push(request.url()));
  page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
  page.on('pageerror', (error) => void errors.push(String(error)));
  const url = pathToFileURL(path).href;
  await page.goto(url, { waitUntil: 'load' });
  return { page, requests, errors, url };
}
