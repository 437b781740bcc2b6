// The comparison page in headless Chromium: both overlay charts drawn with data, offline, no console error, and file
// names and other strings carrying script run nothing even with the CSP removed; the comparison JUnit parses as XML.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRuns } from '../src/compare/compare-runs.ts';
import { launchChromium, openPage } from '../src/testing/chromium.ts';
import type { SecondSample } from '../src/result/result-document.ts';
import { renderComparisonHtml } from './compare-html.ts';
import { renderComparisonJunit } from './compare-junit.ts';
import { fixture, HOSTILE } from './fixtures.ts';
import { REPORT_CSP } from './html.ts';

declare const document: any;
declare const window: any;
declare const DOMParser: any;

const dir = mkdtempSync(join(tmpdir(), 'stampede-compare-browser-'));
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A load run named by a hostile file name, its seconds at the given p50 (ms); the template is a real run's document. */
function run(name: string, p50: number) {
  const template = fixture('load-pass');
  const rows: SecondSample[] = Array.from({ length: 10 }, (_, t) => ({ t, sent: 300, ok: 300, fail: 0, indeterminate: 0, p50: p50 + t * 0.01, p90: p50 * 2, p99: p50 * 4 + t * 0.02, p999: p50 * 6 }));
  return { name: `${name} ${HOSTILE.join(' ')}`, document: { ...template, target: { ...template.target, faults: [HOSTILE[0]] }, throughput: { overall: 300, durationMs: 9_500, perSecond: rows } } };
}

describe('comparison report in headless Chromium', () => {
  const comparison = compareRuns({ base: [run('base', 1)], new: [run('new', 2)], alpha: 0.05, limits: [{ figure: 'p99', text: '10%', kind: 'relative', value: 0.1 }], toolVersion: HOSTILE[1] });

  it('draws throughput over time and the latency curves of both sides, offline, under the CSP, with no script', async () => {
    const { page: tab, requests, errors, url } = await openPage(browser, dir, 'compare', renderComparisonHtml(comparison));
    expect(requests).toEqual([url]);
    expect(errors).toEqual([]);
    expect(await tab.$eval('meta[http-equiv="Content-Security-Policy"]', (meta) => meta.getAttribute('content'))).toBe(REPORT_CSP);
    const charts = await tab.evaluate(() => [...document.querySelectorAll('svg.chart')].map((svg: any) => ({ name: svg.dataset.chart, lines: svg.querySelectorAll('path.line').length, width: Math.max(...[...svg.querySelectorAll('.data')].map((m: any) => m.getBBox().width)) })));
    expect(charts.map((c) => c.name)).toEqual(['compare-throughput', 'compare-latency']);
    for (const chart of charts) {
      expect(chart.lines).toBe(2); // one per run: base and new
      expect(chart.width).toBeGreaterThan(300); // each line spans the plot
    }
    expect(await tab.$eval('tr[data-figure="p50"]', (row) => row.className)).toBe('regression');
    await tab.close();
  });

  it('hostile strings stay text even with the CSP removed', async () => {
    const { page: tab } = await openPage(browser, dir, 'hostile', renderComparisonHtml(comparison).replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ''));
    const active = await tab.evaluate(() => ({
      elements: [...document.querySelectorAll('script, iframe, object, embed, img')].length,
      handlers: [...document.querySelectorAll('*')].flatMap((e: any) => [...e.attributes].filter((a: any) => a.name.toLowerCase().startsWith('on')).map((a: any) => a.name)).length,
      pwned: window.__pwned as unknown,
      text: document.body.textContent as string,
    }));
    expect(active).toMatchObject({ elements: 0, handlers: 0 });
    expect(active.pwned).toBeUndefined();
    expect(active.text).toContain(HOSTILE[0]);
    await tab.close();
  });

  it('the JUnit file parses as XML, with a testcase per limit', async () => {
    const tab = await browser.newPage();
    const parsed = await tab.evaluate((xml: string) => {
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      return { error: doc.querySelector('parsererror')?.textContent ?? null, limits: [...doc.querySelectorAll('testsuite[name="stampede.regression"] testcase')].map((c: any) => c.getAttribute('name')) };
    }, renderComparisonJunit(comparison));
    expect(parsed).toEqual({ error: null, limits: ['p99: latency p99 worse by at most 10%'] });
    await tab.close();
  });
});
