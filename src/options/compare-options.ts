// Validation of `stampede compare` options, and of the comparison settings the gate shares with it (--baseline's
// --max-regression and --alpha): messages name the option and the rule.

import { extname } from 'node:path';
import type { ComparisonFormat } from '../../reports/compare-index.ts';
import type { FigureId, RegressionLimit } from '../compare/comparison-document.ts';
import { FIGURE_NAMES, figureSpec } from '../compare/figures.ts';
import { COMPARE_DEFAULTS } from '../defaults.ts';
import { InvalidOptionError } from '../errors.ts';
import { parseDuration } from './units.ts';

export interface CompareOptionsInput {
  /** The base side: a result.json, a directory holding result.json files, or several of these separated by commas. */
  base: string;
  new: string;
  format?: string;
  out?: string;
  alpha?: string | number;
  maxRegression?: string;
}

export interface CompareOptions {
  base: string[];
  new: string[];
  format: ComparisonFormat;
  /** Undefined: print to stdout. */
  out: string | undefined;
  alpha: number;
  /** Empty: nothing is judged, the comparison is reported (exit 0). */
  limits: RegressionLimit[];
}

const FORMAT_NAMES: Record<string, ComparisonFormat> = { html: 'html', md: 'markdown', markdown: 'markdown', junit: 'junit', xml: 'junit', json: 'json' };
const EXTENSIONS: Record<string, ComparisonFormat> = { '.html': 'html', '.htm': 'html', '.md': 'markdown', '.markdown': 'markdown', '.xml': 'junit', '.json': 'json' };

export function resolveCompareOptions(input: CompareOptionsInput): CompareOptions {
  const out = input.out === undefined || input.out === '' ? undefined : input.out;
  let format: ComparisonFormat;
  if (input.format !== undefined) {
    const named = FORMAT_NAMES[input.format.toLowerCase()];
    if (named === undefined) throw new InvalidOptionError('--format', `${JSON.stringify(input.format)} is not a comparison format; use md (markdown), html, json or junit`);
    format = named;
  } else {
    format = (out !== undefined ? EXTENSIONS[extname(out).toLowerCase()] : undefined) ?? COMPARE_DEFAULTS.format;
  }
  return {
    base: parseSide('BASE', input.base),
    new: parseSide('NEW', input.new),
    format,
    out,
    alpha: parseAlpha('--alpha', input.alpha ?? COMPARE_DEFAULTS.alpha),
    limits: input.maxRegression === undefined ? [] : parseMaxRegression('--max-regression', input.maxRegression),
  };
}

/** `a.json,b.json` or `results/main/` → the paths (a directory is read for its result.json files later). */
export function parseSide(option: string, value: string): string[] {
  const paths = value.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (paths.length === 0) throw new InvalidOptionError(option, 'give a result.json, a directory of result.json files, or several separated by commas');
  return paths;
}

/** The significance level: above 0, at most 0.5 (0.05 by default; 0.01 cries wolf less often and misses more). */
export function parseAlpha(option: string, value: string | number): number {
  const alpha = Number(value);
  if (String(value).trim() === '' || !Number.isFinite(alpha) || alpha <= 0 || alpha > 0.5) {
    throw new InvalidOptionError(option, `${JSON.stringify(String(value))} is not a significance level; write a number above 0 and at most 0.5 (e.g. ${option} 0.05)`);
  }
  return alpha;
}

const NAMES = Object.keys(FIGURE_NAMES).filter((n) => n !== 'p99.9').join(', ');

/**
 * `p99=10%,throughput=5%,error-rate=0.1pp` (or the config file's `{ "p99": "10%" }`) → limits. A latency figure takes a
 * share of the base (10%) or a duration (2ms); throughput a share; the error rate percentage points (0.1pp).
 */
export function parseMaxRegression(option: string, value: string | Readonly<Record<string, string | number>>): RegressionLimit[] {
  const entries: Array<[string, string]> =
    typeof value === 'string'
      ? value.split(',').map((part) => part.trim()).filter((part) => part !== '').map((part) => {
          const at = part.indexOf('=');
          if (at < 1) throw new InvalidOptionError(option, `${JSON.stringify(part)} is not FIGURE=LIMIT; write e.g. p99=10%,throughput=5%,error-rate=0.1pp`);
          return [part.slice(0, at).trim(), part.slice(at + 1).trim()];
        })
      : Object.entries(value).map(([name, limit]) => [name, String(limit)]);
  if (entries.length === 0) throw new InvalidOptionError(option, 'give at least one FIGURE=LIMIT, e.g. p99=10%');
  const seen = new Set<FigureId>();
  return entries.map(([name, text]) => {
    const figure = FIGURE_NAMES[name.toLowerCase()];
    if (figure === undefined) throw new InvalidOptionError(option, `${JSON.stringify(name)} is not a figure; use ${NAMES}`);
    if (seen.has(figure)) throw new InvalidOptionError(option, `${name} is limited twice; give each figure once`);
    seen.add(figure);
    return parseLimit(option, figure, name, text);
  });
}

function parseLimit(option: string, figure: FigureId, name: string, text: string): RegressionLimit {
  const spec = figureSpec(figure);
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  const points = /^(\d+(?:\.\d+)?)\s*pp$/i.exec(text);
  if (figure === 'error-rate') {
    if (!points) throw new InvalidOptionError(option, `${name}=${text}: the error rate takes percentage points (e.g. ${name}=0.1pp): a relative change of a rate near 0 means little`);
    return { figure, text, kind: 'pp', value: Number(points[1]) / 100 };
  }
  if (percent) return { figure, text, kind: 'relative', value: Number(percent[1]) / 100 };
  if (spec.unit === 'ms' && /^\d/.test(text) && !points) {
    try {
      return { figure, text, kind: 'ms', value: parseDuration(option, text) };
    } catch {
      // Fall through to the figure's own message below.
    }
  }
  const allowed = spec.unit === 'ms' ? `a share of the base (${name}=10%) or a duration (${name}=2ms)` : `a share of the base (${name}=5%)`;
  throw new InvalidOptionError(option, `${name}=${text} is not a limit; ${spec.title} takes ${allowed}`);
}
