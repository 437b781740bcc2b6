// The reports in headless Chromium: the HTML page draws its charts offline with no request and no console error, a
// hostile target's strings run no script even with the CSP removed, and the JUnit file parses as XML.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance } from '../src/conformance/runner.ts';
import { runLoad } from '../src/engines/load-run.ts';
import { resolveLoadOptions } from '../src/options/load-options.ts';
import { startService } from '../src/service/start-service.ts';
import { resolveConformOptions } from '../src/options/conform-options.ts';
import { launchChromium, openPage, type Visit } from '../src/testing/chromium.ts';
import type { ResultDocument } from '../src/result/result-document.ts';
import { FIXTURES, fixture, HOSTILE, hostileEverywhere, type FixtureName } from './fixtures.ts';
import { REPORT_CSP, renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';

// Page functions below run in Chromium; the project compiles without the DOM library, so its globals are declared here,
// loosely and for this file only.
declare const document: any;
declare const window: any;
declare const DOMParser: any;
interface Box { x: number; y: number; width: number; height: number }

const dir = mkdtempSync(join(tmpdir(), 'stampede-browser-'));
let browser: Browser;
let hostileServer: Server;
/** A real conformance run against a target that answers script in every body and in header values. */
let hostileDocument: ResultDocument;

/** Every request, body and header value carries script; the status is always 200 (so every check fails and keeps them). */
function startHostileTarget(): Promise<string> {
  hostileServer = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, {
        'content-type': `text/html; x=${HOSTILE[1]}`,
        allow: HOSTILE[0],
        location: HOSTILE[2],
        'retry-after': HOSTILE[1],
      });
      response.end(`${HOSTILE.join('\n')}\n`);
    });
  });
  return new Promise((resolve) => hostileServer.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(hostileServer.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  browser = await launchChromium();
  const url = await startHostileTarget();
  const options = resolveConformOptions({ target: url, fuzz: 0, seed: 1, timeout: '5s' });
  ({ document: hostileDocument } = await runConformance(options, { toolVersion: 'test', resultDirectory: join(dir, 'hostile') }));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => hostileServer?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** Opens the page from a file: URL, recording every request and every console error or page error. */
const open = (name: string, page: string): Promise<Visit> => openPage(browser, dir, name, page);

interface ChartGeometry {
  name: string;
  marks: number;
  width: number; // viewBox units spanned by the data marks
  height: number;
  area: number; // sum of the marks' bounding-box areas
}

const chartGeometry = (page: Page): Promise<ChartGeometry[]> =>
  page.evaluate(() =>
    [...document.querySelectorAll('svg.chart')].map((svg: any) => {
      const boxes: Box[] = [...svg.querySelectorAll('.data')].map((mark: any) => mark.getBBox());
      const left = Math.min(...boxes.map((b) => b.x));
      const top = Math.min(...boxes.map((b) => b.y));
      return {
        name: svg.dataset.chart ?? '',
        marks: boxes.length,
        width: Math.max(...boxes.map((b) => b.x + b.width)) - left,
        height: Math.max(...boxes.map((b) => b.y + b.height)) - top,
        area: boxes.reduce((sum, b) => sum + b.width * b.height, 0),
      };
    }),
  );

/** Script-capable things in the DOM: script/iframe/object/embed/img elements and any on* attribute. */
const activeContent = (page: Page) =>
  page.evaluate(() => ({
    elements: [...document.querySelectorAll('script, iframe, object, embed, img, link, base, meta[http-equiv="refresh"]')].map((e: any): string => e.tagName),
    handlers: [...document.querySelectorAll('*')].flatMap((e: any): string[] => [...e.attributes].filter((a: any) => a.name.toLowerCase().startsWith('on')).map((a: any) => `${e.tagName}@${a.name}`)),
    pwned: window.__pwned as unknown,
  }));

const LOAD_CHARTS = ['throughput', 'latency-over-time', 'latency-distribution', 'status-mix'];
const RACE_CHARTS = ['race-successes', 'race-spread'];
const EXPECTED_CHARTS: Record<FixtureName, string[]> = {
  'load-pass': LOAD_CHARTS,
  'load-fail': LOAD_CHARTS,
  'load-partial': LOAD_CHARTS,
  race: [...LOAD_CHARTS, ...RACE_CHARTS],
  'conformance-fail': LOAD_CHARTS,
  combined: [...LOAD_CHARTS, ...RACE_CHARTS],
};
/** Fixtures whose per-second series span several seconds, so the time charts must span the plot. */
const MULTI_SECOND: readonly FixtureName[] = ['load-pass', 'load-fail', 'load-partial', 'combined'];

describe('HTML report in headless Chromium', () => {
  it.each(FIXTURES)('%s: every chart drawn with data, offline (no request but the page), no console error, no script', async (name) => {
    const visit = await open(name, renderHtml(fixture(name)));
    try {
      expect(visit.requests).toEqual([visit.url]);
      expect(visit.errors).toEqual([]);
      const csp = await visit.page.$eval('meta[http-equiv="Content-Security-Policy"]', (meta) => meta.getAttribute('content'));
      expect(csp).toBe(REPORT_CSP);
      const charts = await chartGeometry(visit.page);
      expect(charts.map((c) => c.name)).toEqual(EXPECTED_CHARTS[name]);
      for (const chart of charts) {
        expect(chart.marks, chart.name).toBeGreaterThan(0);
        expect(chart.area, chart.name).toBeGreaterThan(20);
        if (chart.name !== 'latency-over-time' || MULTI_SECOND.includes(name)) expect(chart.width, chart.name).toBeGreaterThan(chart.name === 'status-mix' ? 1 : 300);
        expect(chart.height, chart.name).toBeGreaterThan(chart.name === 'latency-over-time' && !MULTI_SECOND.includes(name) ? 5 : 20);
      }
      const active = await activeContent(visit.page);
      expect(active).toEqual({ elements: [], handlers: [], pwned: undefined });
      const banner = await visit.page.$eval('header.banner .verdict', (e) => e.textContent);
      expect(banner).toBe(fixture(name).verdict.toUpperCase());
    } finally {
      await visit.page.close();
    }
  });

  it('runs no script from a hostile target (real conformance run), even with the CSP removed', async () => {
    const json = JSON.stringify(hostileDocument);
    for (const payload of HOSTILE) expect(json).toContain(JSON.stringify(payload).slice(1, -1)); // the payloads did reach the document
    const page = renderHtml(hostileDocument);
    const withoutCsp = page.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
    expect(withoutCsp).not.toContain('Content-Security-Policy');
    const visit = await open('hostile-real', withoutCsp);
    try {
      expect(await activeContent(visit.page)).toEqual({ elements: [], handlers: [], pwned: undefined });
      const text: string = await visit.page.evaluate(() => document.body.textContent ?? '');
      for (const payload of HOSTILE) expect(text).toContain(payload); // shown as text, not dropped
      expect(visit.requests).toEqual([visit.url]);
    } finally {
      await visit.page.close();
    }
  });

  it('runs no script when every string of a document is hostile (IDs, notes, URLs, file names, keys), CSP removed', async () => {
    const page = renderHtml(hostileEverywhere(fixture('combined'))).replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
    const visit = await open('hostile-everywhere', page);
    try {
      expect(await activeContent(visit.page)).toEqual({ elements: [], handlers: [], pwned: undefined });
      expect(visit.requests).toEqual([visit.url]);
      expect((await chartGeometry(visit.page)).map((c) => c.name)).toEqual(EXPECTED_CHARTS.combined);
    } finally {
      await visit.page.close();
    }
  });
});

describe('the generator\'s own lag and the HDR percentile plot, from a real open-model run', () => {
  it('draws stampede\'s lag p99 over time beside p50/p99, the percentile curve on the 1/(1 − p) log scale, and flags a generator-bound run', async () => {
    const service = await startService();
    let doc: ResultDocument;
    try {
      // A lag limit nothing can meet: the run is flagged generator-bound whatever the machine does.
      doc = await runLoad(resolveLoadOptions({ target: service.url, rate: 1500, duration: '1500ms', warmup: 0, probe: 'off', maxLag: 'p50=1us', seed: 4 }), { toolVersion: 'test' });
    } finally {
      await service.close(0);
    }
    expect(doc.latency.lag!.count).toBeGreaterThan(0);
    expect(doc.throughput.perSecond.some((row) => row.lagP99 !== undefined)).toBe(true);
    const visit = await open('lag', renderHtml(doc));
    try {
      expect(visit.errors).toEqual([]);
      const drawn = await visit.page.evaluate(() => ({
        lagLine: [...document.querySelectorAll('svg[data-chart="latency-over-time"] path.data title')].map((t: any): string => t.textContent).filter((t: string) => t.includes("stampede's own lag p99")).length,
        axis: [...document.querySelectorAll('svg[data-chart="latency-distribution"] text.tick')].map((t: any): string => t.textContent),
        curvePoints: document.querySelectorAll('svg[data-chart="latency-distribution"] circle.data').length,
        banner: document.querySelector('[data-generator-bound]')?.textContent ?? '',
      }));
      expect(drawn.lagLine).toBe(1);
      expect(drawn.axis).toEqual(expect.arrayContaining(['50%', '90%', '99%', '99.9%', 'max']));
      // The headline curve has its histogram's points (four per decade), not five summary points.
      expect(drawn.curvePoints).toBe(doc.latency.curve!.length);
      expect(drawn.curvePoints).toBeGreaterThan(10);
      expect(drawn.banner).toMatch(/^Generator-bound\. stampede's own lag p50 was .* ms \(limit p50=1us\)/);
    } finally {
      await visit.page.close();
    }
  });
});

describe('JUnit report parsed by Chromium\'s XML parser', () => {
  const parse = async (xml: string) => {
    const page = await browser.newPage();
    try {
      return await page.evaluate((source) => {
        const doc = new DOMParser().parseFromString(source, 'application/xml');
        const cases: any[] = [...doc.getElementsByTagName('testcase')];
        return {
          error: (doc.getElementsByTagName('parsererror')[0]?.textContent ?? null) as string | null,
          root: doc.documentElement.tagName as string,
          tests: Number(doc.documentElement.getAttribute('tests')),
          testcases: cases.length,
          failures: doc.getElementsByTagName('failure').length as number,
          names: cases.map((c): string => c.getAttribute('name') ?? ''),
          messages: [...doc.querySelectorAll('failure, error, skipped')].map((f: any): string => f.getAttribute('message') ?? ''),
        };
      }, xml);
    } finally {
      await page.close();
    }
  };

  it.each(FIXTURES)('%s: well-formed, one testcase per check, invariant, threshold and phase (plus the verdict)', async (name) => {
    const doc = fixture(name);
    const parsed = await parse(renderJunit(doc));
    expect(parsed.error).toBeNull();
    expect(parsed.root).toBe('testsuites');
    const expected = (doc.checks?.length ?? 0) + doc.invariants.length + (doc.thresholds?.length ?? 0) + (doc.phases?.length ?? 0) + 1;
    expect(parsed.testcases).toBe(expected);
    expect(parsed.tests).toBe(expected);
    for (const check of doc.checks ?? []) expect(parsed.names).toContain(check.id);
  });

  it('stays well-formed and exact with hostile strings (real run and every string hostile)', async () => {
    const real = await parse(renderJunit(hostileDocument));
    expect(real.error).toBeNull();
    expect(real.testcases).toBe(hostileDocument.checks!.length + hostileDocument.invariants.length + 1);
    expect(real.failures).toBeGreaterThan(10);
    const everywhere = hostileEverywhere(fixture('combined'));
    const parsed = await parse(renderJunit(everywhere));
    expect(parsed.error).toBeNull();
    expect(parsed.names).toContain(everywhere.checks![0]!.id); // attribute escaping round-trips exactly
    expect(parsed.messages.some((m) => m.includes(HOSTILE[1]))).toBe(true);
  });
});
