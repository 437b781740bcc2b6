// Inline SVG charts of the HTML report, generated from the document's numbers: no script, no library, no network.

import type { Percentiles, RaceBurst, ResultDocument, SecondSample } from '../src/result/result-document.ts';
import { coord, html, type Html } from './html-escape.ts';
import { formatCount, formatMs, formatShare, formatUs } from './view.ts';

export const W = 720; // px, the viewBox width every chart shares
export const M = { left: 60, right: 16, top: 14, bottom: 30 }; // px

export const COLORS = { ok: '#2e7d32', fail: '#c62828', indeterminate: '#ef6c00', sent: '#1565c0', p50: '#1565c0', p99: '#c62828', lag: '#6a1b9a', lagP99: '#6a1b9a', muted: '#9e9e9e' } as const;

/** Ticks 0, step, 2·step… up to at least max, with a 1-2-5 step: about `count` of them. */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const ticks = [0];
  while (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks.length * step).toPrecision(12)));
  return ticks;
}

export interface Frame {
  name: string;
  label: string;
  height: number; // px
  yTicks: number[];
  yFormat: (v: number) => string;
  xLabels: Array<{ x: number; text: string }>;
  body: Html;
}

/** The axes, grid and labels every chart shares, around its body. */
export function frame(f: Frame): Html {
  const bottom = f.height - M.bottom;
  const yMax = f.yTicks[f.yTicks.length - 1]!;
  const y = (v: number) => bottom - (v / yMax) * (bottom - M.top);
  const grid = f.yTicks.map((t) => html`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${coord(y(t))}" y2="${coord(y(t))}"/><text class="tick" x="${M.left - 6}" y="${coord(y(t) + 4)}" text-anchor="end">${f.yFormat(t)}</text>`);
  const xs = f.xLabels.map((l) => html`<text class="tick" x="${coord(l.x)}" y="${f.height - 10}" text-anchor="middle">${l.text}</text>`);
  return html`<svg class="chart" data-chart="${f.name}" viewBox="0 0 ${W} ${f.height}" role="img" aria-label="${f.label}" xmlns="http://www.w3.org/2000/svg"><title>${f.label}</title>${grid}${xs}<line class="axis" x1="${M.left}" x2="${W - M.right}" y1="${bottom}" y2="${bottom}"/>${f.body}</svg>`;
}

/** Evenly spaced bands over the plot width: x of band i, its width, and about six labels. */
function bands(n: number, label: (i: number) => string) {
  const width = (W - M.left - M.right) / Math.max(1, n);
  const x = (i: number) => M.left + i * width;
  const every = Math.max(1, Math.ceil(n / 6));
  const xLabels: Array<{ x: number; text: string }> = [];
  for (let i = 0; i < n; i += every) xLabels.push({ x: x(i) + width / 2, text: label(i) });
  return { width, x, xLabels };
}

export const scaleY = (height: number, yMax: number) => (v: number) => height - M.bottom - (v / yMax) * (height - M.bottom - M.top);

function bar(d: string[], x: number, y0: number, y1: number, width: number): void {
  if (y0 - y1 < 0.05) return;
  d.push(`M${coord(x)} ${coord(y1)}h${coord(width)}V${coord(y0)}h${coord(-width)}z`);
}

export function emptyChart(name: string, why: string): Html {
  return html`<p class="empty" data-chart-empty="${name}">${why}</p>`;
}

/** Answers per second, stacked by outcome, and requests sent per second as a line. */
export function throughputChart(rows: readonly SecondSample[]): Html {
  if (rows.length === 0) return emptyChart('throughput', 'No per-second samples in this document.');
  const height = 220;
  const max = Math.max(...rows.map((r) => Math.max(r.sent, r.ok + r.fail + r.indeterminate)));
  const yTicks = niceTicks(max);
  const y = scaleY(height, yTicks[yTicks.length - 1]!);
  const { width, x, xLabels } = bands(rows.length, (i) => `${rows[i]!.t} s`);
  const paths = { ok: [] as string[], fail: [] as string[], indeterminate: [] as string[] };
  const line: string[] = [];
  rows.forEach((r, i) => {
    let base = 0;
    for (const outcome of ['ok', 'fail', 'indeterminate'] as const) {
      bar(paths[outcome], x(i) + width * 0.1, y(base), y(base + r[outcome]), width * 0.8);
      base += r[outcome];
    }
    line.push(`${i === 0 ? 'M' : 'L'}${coord(x(i) + width / 2)} ${coord(y(r.sent))}`);
  });
  const body = html`${(['ok', 'fail', 'indeterminate'] as const).map((o) => (paths[o].length ? html`<path class="data" fill="${COLORS[o]}" d="${paths[o].join('')}"><title>${o} answers per second</title></path>` : ''))}<path class="data line" fill="none" stroke="${COLORS.sent}" stroke-width="2" d="${line.join('') + (rows.length === 1 ? 'h1' : '')}"><title>requests sent per second</title></path>`;
  return frame({ name: 'throughput', label: 'Throughput over time: answers per second by outcome, requests sent per second', height, yTicks, yFormat: formatCount, xLabels, body });
}

/**
 * p50 and p99 latency of the answers of each second, as lines (a second without answers leaves a gap), and beside
 * them stampede's own lag p99 per second where the engine measured it: a rise in both is the generator, not the target.
 */
export function latencyOverTimeChart(rows: readonly SecondSample[]): Html {
  const measured = rows.filter((r) => r.p50 !== undefined || r.p99 !== undefined);
  if (measured.length === 0) return emptyChart('latency-over-time', 'No per-second latency in this document.');
  const height = 220;
  const yTicks = niceTicks(Math.max(...measured.map((r) => Math.max(r.p99 ?? r.p50 ?? 0, r.lagP99 ?? 0))));
  const y = scaleY(height, yTicks[yTicks.length - 1]!);
  const { width, x, xLabels } = bands(rows.length, (i) => `${rows[i]!.t} s`);
  const series = (key: 'p50' | 'p99' | 'lagP99') => {
    const d: string[] = [];
    let pen = false;
    rows.forEach((r, i) => {
      const v = r[key];
      if (v === undefined) {
        pen = false;
        return;
      }
      d.push(`${pen ? 'L' : 'M'}${coord(x(i) + width / 2)} ${coord(y(v))}`);
      pen = true;
    });
    // Few seconds: each one also gets a dot, so a run of one or two seconds still shows its points.
    const dots = rows.length <= 120 ? rows.map((r, i) => (r[key] === undefined ? '' : html`<circle class="data" cx="${coord(x(i) + width / 2)}" cy="${coord(y(r[key]))}" r="3" fill="${COLORS[key]}"><title>${r.t} s: ${key} ${formatMs(r[key])} ms</title></circle>`)) : '';
    if (d.length === 0) return '';
    const what = key === 'lagP99' ? "stampede's own lag p99" : `${key} latency`;
    return html`<path class="data line" fill="none" stroke="${COLORS[key]}" stroke-width="2" stroke-dasharray="${key === 'lagP99' ? '5 3' : 'none'}" d="${d.join('')}"><title>${what} per second (ms)</title></path>${dots}`;
  };
  const hasLag = rows.some((r) => r.lagP99 !== undefined);
  const label = `Latency percentiles over time: p50 and p99 per second${hasLag ? ", with stampede's own lag p99 beside them" : ''}, ms`;
  return frame({ name: 'latency-over-time', label, height, yTicks, yFormat: formatMs, xLabels, body: html`${series('p99')}${series('p50')}${hasLag ? series('lagP99') : ''}` });
}

const PERCENTILE_POINTS = [['p50', 50], ['p90', 90], ['p99', 99], ['p999', 99.9]] as const;
/** The usual HDR axis: x = log10(1 / (1 − p)), so 90 %, 99 %, 99.9 % … sit one decade apart. */
const logTail = (percentile: number) => Math.log10(1 / (1 - percentile / 100));
const AXIS_PERCENTILES = [[0, '0%'], [50, '50%'], [90, '90%'], [99, '99%'], [99.9, '99.9%'], [99.99, '99.99%'], [99.999, '99.999%']] as const;

/** A summary's points (p50 … p99.9, then max) on the log axis, when no curve was recorded. */
function summaryPoints(p: Percentiles): Array<[number, number]> {
  return [...PERCENTILE_POINTS.map(([key, percentile]) => [percentile, p[key]] as [number, number]), [100, p.max]];
}

/** One line of a percentile plot: its name, its [percentile, ms] points, colour, count of answers, and dash pattern. */
export interface PercentileSeries {
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
  color: string;
  count?: number;
  dash?: string;
}

/**
 * The latency distribution as an HDR percentile plot: latency (ms) against the percentile on the usual log scale of
 * 1/(1 − p) (50 %, 90 %, 99 %, 99.9 %, 99.99 %), the maximum at the right edge; the headline curve from its histogram's
 * points, the outcomes other than ok from their summaries.
 */
export function latencyDistributionChart(latency: ResultDocument['latency']): Html {
  if (latency.overall.count === 0) return emptyChart('latency-distribution', 'No latency was measured.');
  const series: PercentileSeries[] = [{ name: 'all', points: latency.curve && latency.curve.length > 1 ? latency.curve : summaryPoints(latency.overall), color: COLORS.sent, count: latency.overall.count }];
  for (const outcome of ['fail', 'indeterminate'] as const) {
    const p = latency.byOutcome[outcome];
    if (p && p.count > 0) series.push({ name: outcome, points: summaryPoints(p), color: COLORS[outcome], count: p.count });
  }
  return percentilePlot('latency-distribution', 'Latency distribution (HDR percentile plot): latency in ms at each percentile, log scale of 1/(1 − p)', series);
}

/** Several latency distributions on one HDR percentile plot (log scale of 1/(1 − p), the maximum at the right edge). */
export function percentilePlot(name: string, label: string, series: readonly PercentileSeries[]): Html {
  const height = 240;
  const yTicks = niceTicks(Math.max(...series.flatMap(({ points }) => points.map(([, ms]) => ms))));
  const y = scaleY(height, yTicks[yTicks.length - 1]!);
  // The finite points span up to the deepest percentile recorded; the maximum (p = 100) gets the edge beyond it.
  const deepest = Math.max(3, ...series.flatMap(({ points }) => points.filter(([p]) => p < 100).map(([p]) => logTail(p))));
  const span = deepest + 0.5;
  const x = (percentile: number) => M.left + ((percentile >= 100 ? span : logTail(percentile)) / span) * (W - M.left - M.right);
  const xLabels = [...AXIS_PERCENTILES.filter(([p]) => logTail(p) <= deepest + 1e-9).map(([p, text]) => ({ x: x(p), text })), { x: x(100), text: 'max' }];
  const body = series.map(({ name: line, points, color, count, dash }) => {
    const d = points.map(([p, ms], i) => `${i === 0 ? 'M' : 'L'}${coord(x(p))} ${coord(y(ms))}`).join('');
    const dots = points.map(([p, ms]) => html`<circle class="data" cx="${coord(x(p))}" cy="${coord(y(ms))}" r="3" fill="${color}"><title>${line} ${p >= 100 ? 'max' : `p${p}`}: ${formatMs(ms)} ms</title></circle>`);
    return html`<path class="data line" fill="none" stroke="${color}" stroke-width="2" stroke-dasharray="${dash ?? 'none'}" d="${d}"><title>${line}${count !== undefined ? `: ${formatCount(count)} answers` : ''}</title></path>${dots}`;
  });
  return frame({ name, label, height, yTicks, yFormat: formatMs, xLabels, body: html`${body}` });
}

const statusColor = (label: string, kind: 'status' | 'error') => (kind === 'error' ? COLORS.muted : label.startsWith('2') ? COLORS.ok : label.startsWith('5') ? COLORS.fail : label.startsWith('4') ? COLORS.indeterminate : COLORS.sent);

/** Answers by status (and attempts by error kind) as horizontal bars with counts and shares. */
export function statusMixChart(mix: ReadonlyArray<[string, number, 'status' | 'error']>): Html {
  if (mix.length === 0) return emptyChart('status-mix', 'No answers.');
  const rows = mix.slice(0, 20);
  const total = mix.reduce((sum, [, n]) => sum + n, 0);
  const rowHeight = 24; // px
  const height = rows.length * rowHeight + 16;
  const left = 200; // px: room for the label
  const plot = W - left - 150;
  const max = Math.max(...rows.map(([, n]) => n));
  const body = rows.map(([label, n, kind], i) => {
    const top = 8 + i * rowHeight;
    const width = Math.max(1, (n / max) * plot);
    const text = `${kind === 'error' ? 'error ' : ''}${label.length > 28 ? `${label.slice(0, 27)}…` : label}`;
    return html`<text class="tick" x="${left - 8}" y="${top + 15}" text-anchor="end">${text}</text><rect class="data" x="${left}" y="${top + 3}" width="${coord(width)}" height="${rowHeight - 6}" fill="${statusColor(label, kind)}"><title>${kind === 'error' ? 'error ' : 'status '}${label}: ${formatCount(n)} (${formatShare(n / total)})</title></rect><text class="tick" x="${coord(left + width + 6)}" y="${top + 15}">${formatCount(n)} (${formatShare(n / total)})</text>`;
  });
  return html`<svg class="chart" data-chart="status-mix" viewBox="0 0 ${W} ${height}" role="img" aria-label="Status mix" xmlns="http://www.w3.org/2000/svg"><title>Status mix: answers by HTTP status, attempts without an answer by error kind</title>${body}</svg>`;
}

/** 2xx answers per race burst: one bar each; a correct service gives exactly one (the dashed line). */
export function raceSuccessesChart(bursts: readonly RaceBurst[], width: number): Html {
  if (bursts.length === 0) return emptyChart('race-successes', 'No bursts.');
  const height = 200;
  const yTicks = niceTicks(Math.max(width, ...bursts.map((b) => b.successes)));
  const y = scaleY(height, yTicks[yTicks.length - 1]!);
  const band = bands(bursts.length, (i) => `#${bursts[i]!.index}`);
  const one: string[] = [];
  const many: string[] = [];
  bursts.forEach((b, i) => bar(b.successes > 1 ? many : one, band.x(i) + band.width * 0.15, y(0), y(b.successes), band.width * 0.7));
  const body = html`${one.length ? html`<path class="data" fill="${COLORS.ok}" d="${one.join('')}"><title>bursts with at most one 2xx</title></path>` : ''}${many.length ? html`<path class="data" fill="${COLORS.fail}" d="${many.join('')}"><title>bursts with more than one 2xx: race reproduced</title></path>` : ''}<line class="reference" x1="${M.left}" x2="${W - M.right}" y1="${coord(y(1))}" y2="${coord(y(1))}"><title>exactly one 2xx: correct</title></line>`;
  return frame({ name: 'race-successes', label: 'Successes (2xx answers) per race burst', height, yTicks, yFormat: formatCount, xLabels: band.xLabels, body });
}

/** Release spread (first to last final byte or frame) of each burst, µs. */
export function raceSpreadChart(bursts: readonly RaceBurst[]): Html {
  if (bursts.length === 0) return emptyChart('race-spread', 'No bursts.');
  const height = 200;
  const yTicks = niceTicks(Math.max(...bursts.map((b) => b.spreadUs)));
  const y = scaleY(height, yTicks[yTicks.length - 1]!);
  const band = bands(bursts.length, (i) => `#${bursts[i]!.index}`);
  const d: string[] = [];
  bursts.forEach((b, i) => bar(d, band.x(i) + band.width * 0.15, y(0), y(b.spreadUs), band.width * 0.7));
  const body = d.length ? html`<path class="data" fill="${COLORS.sent}" d="${d.join('')}"><title>release spread per burst (µs)</title></path>` : '';
  return frame({ name: 'race-spread', label: 'Release spread per race burst, µs', height, yTicks, yFormat: (v) => formatUs(v).replace(' µs', ''), xLabels: band.xLabels, body: html`${body}` });
}
