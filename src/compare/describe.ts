// A figure comparison in words, the same in every comparison report and in the gate's thresholds: `~` when not
// significant, never a percentage that would invite a false alarm.

import type { FigureComparison } from './comparison-document.ts';

const MINUS = '\u2212';

/** A value in its unit: req/s with separators, ms to 3 significant digits, a share as a percentage. */
export function formatValue(unit: FigureComparison['unit'], value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  if (unit === 'req/s') return value >= 100 ? Math.round(value).toLocaleString('en-US') : String(Number(value.toPrecision(3)));
  if (unit === 'ms') return value >= 100 ? String(Math.round(value)) : String(Number(value.toPrecision(3)));
  return `${Number((value * 100).toPrecision(3))}%`;
}

/** A p-value: 2 significant digits, `<0.001` below that. */
export function formatP(p: number): string {
  return p < 0.001 ? '<0.001' : String(Number(p.toPrecision(2)));
}

function signed(value: number, digits = 3): string {
  const rounded = Number(Math.abs(value).toPrecision(digits));
  return `${value < 0 && rounded !== 0 ? MINUS : '+'}${rounded}`;
}

/** The delta of a significant change: `+85.2%` (relative), `+0.12 pp` (error rate), `+2.1 ms` when no base to scale by. */
function delta(f: FigureComparison, which: 'estimate' | 'low' | 'high'): string {
  if (f.relative) return `${signed(f.relative[which] * 100)}%`;
  const shift = f.shift![which];
  if (f.unit === 'share') return `${signed(shift * 100, 2)} pp`;
  return `${signed(shift)} ${f.unit}`;
}

/** `~`, or the delta of a significant change, or `?` when undecidable. */
export function describeChange(f: FigureComparison): string {
  if (f.change === 'undecidable') return '?';
  if (f.change === 'none' || !f.shift) return '~';
  return delta(f, 'estimate');
}

/** The interval of a significant change (`+80.1% … +90.3%`), empty otherwise. */
export function describeInterval(f: FigureComparison): string {
  if ((f.change !== 'regression' && f.change !== 'improvement') || !f.shift) return '';
  return `${delta(f, 'low')} … ${delta(f, 'high')}`;
}

/** The interval's confidence as a percentage (below 1 − alpha when the samples are too few to reach it). */
export function confidenceLabel(f: FigureComparison): string {
  return f.shift ? `${Number((f.shift.confidence * 100).toPrecision(3))}%` : '';
}

/** The p that decided: the rank test's over the seconds, or the run-to-run check's when larger (both Holm-adjusted). */
export function decidingP(f: FigureComparison): number | undefined {
  if (!f.test) return undefined;
  return Math.max(f.test.adjustedP, f.runTest?.adjustedP ?? 0);
}

/** One line: `+85.2% (95% CI +80.1% … +90.3%, p=0.004)`, `~ (p=0.41)`, or `? (why)`. */
export function describeObserved(f: FigureComparison): string {
  if (f.change === 'undecidable') return `? (${f.note ?? 'undecidable'})`;
  const shown = f.test ? formatP(decidingP(f)!) : undefined;
  const p = shown === undefined ? 'not tested' : `p${shown.startsWith('<') ? '' : '='}${shown}`;
  if (f.change === 'none') return `~ (${p}${f.note ? `; ${f.note}` : ''})`;
  return `${describeChange(f)} (${confidenceLabel(f)} CI ${describeInterval(f)}, ${p})`;
}
