// The comparison page's charts, base against new: answers per second over time and the HDR percentile curves, one
// line per run, overlaid (inline SVG, no script).

import type { ComparedRun } from '../src/compare/comparison-document.ts';
import { emptyChart, frame, M, niceTicks, percentilePlot, scaleY, W, type PercentileSeries } from './html-charts.ts';
import { coord, html, type Html } from './html-escape.ts';
import { formatCount } from './view.ts';

export const SIDE_COLORS = { base: '#1565c0', new: '#d84315' } as const;
/** Runs of one side share its colour; the second, third … of a side are dashed differently. */
const DASHES = ['none', '6 3', '2 3', '8 3 2 3'];

type Side = 'base' | 'new';

/** Answers per second of every run, against seconds since its start (its warm-up's end), both sides overlaid. */
export function throughputOverlayChart(base: readonly ComparedRun[], next: readonly ComparedRun[]): Html {
  const lines = sides(base, next).filter(({ run }) => run.throughput.length > 0);
  if (lines.length === 0) return emptyChart('compare-throughput', 'No per-second samples in these runs.');
  const height = 220;
  const yTicks = niceTicks(Math.max(...lines.flatMap(({ run }) => run.throughput.map(([, n]) => n))));
  const y = scaleY(height, yTicks[yTicks.length - 1]!);
  const seconds = Math.max(...lines.flatMap(({ run }) => run.throughput.map(([t]) => t))) + 1;
  const x = (t: number) => M.left + ((t + 0.5) / seconds) * (W - M.left - M.right);
  const every = Math.max(1, Math.ceil(seconds / 8));
  const xLabels = Array.from({ length: Math.ceil(seconds / every) }, (_, i) => ({ x: x(i * every), text: `${i * every} s` }));
  const body = lines.map(({ side, run, dash }) => {
    const d = run.throughput.map(([t, n], i) => `${i === 0 ? 'M' : 'L'}${coord(x(t))} ${coord(y(n))}`).join('') + (run.throughput.length === 1 ? 'h1' : '');
    const dots = run.throughput.map(([t, n]) => html`<circle class="data" cx="${coord(x(t))}" cy="${coord(y(n))}" r="3" fill="${SIDE_COLORS[side]}"><title>${side} ${run.file}, ${t} s: ${formatCount(n)} answers</title></circle>`);
    return html`<path class="data line" fill="none" stroke="${SIDE_COLORS[side]}" stroke-width="2" stroke-dasharray="${dash}" d="${d}"><title>${side}: ${run.file}</title></path>${dots}`;
  });
  return frame({ name: 'compare-throughput', label: 'Throughput over time, base against new: answers per second of each run', height, yTicks, yFormat: formatCount, xLabels, body: html`${body}` });
}

/** The latency percentile curve of every run, base against new, on the HDR plot of the run report. */
export function latencyOverlayChart(base: readonly ComparedRun[], next: readonly ComparedRun[]): Html {
  const series: PercentileSeries[] = sides(base, next)
    .filter(({ run }) => run.curve.length > 0)
    .map(({ side, run, dash }) => ({ name: `${side} ${run.file}`, points: run.curve, color: SIDE_COLORS[side], dash }));
  if (series.length === 0) return emptyChart('compare-latency', 'No latency was measured in these runs.');
  return percentilePlot('compare-latency', 'Latency distribution, base against new (HDR percentile plot): latency in ms at each percentile, log scale of 1/(1 − p)', series);
}

function sides(base: readonly ComparedRun[], next: readonly ComparedRun[]): Array<{ side: Side; run: ComparedRun; dash: string }> {
  const of = (side: Side, runs: readonly ComparedRun[]) => runs.map((run, i) => ({ side, run, dash: DASHES[i % DASHES.length]! }));
  return [...of('base', base), ...of('new', next)];
}
