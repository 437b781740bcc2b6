// Validation of `stampede report` options into resolved values; messages name the option and the fix.

import { extname } from 'node:path';
import type { ReportFormat } from '../../reports/index.ts';
import { REPORT_DEFAULTS } from '../defaults.ts';
import { InvalidOptionError } from '../errors.ts';

export interface ReportOptionsInput {
  /** Result documents (result.json files); several are combined into one report. */
  files: readonly string[];
  format?: string;
  out?: string;
}

export interface ReportOptions {
  files: string[];
  format: ReportFormat;
  /** Undefined: print to stdout. */
  out: string | undefined;
}

/** Every spelling --format accepts, and the format it names. */
const FORMAT_NAMES: Record<string, ReportFormat> = { html: 'html', md: 'markdown', markdown: 'markdown', junit: 'junit', xml: 'junit', json: 'json' };

/** The format an --out file's extension names, when --format is not given. */
const EXTENSIONS: Record<string, ReportFormat> = { '.html': 'html', '.htm': 'html', '.md': 'markdown', '.markdown': 'markdown', '.xml': 'junit', '.json': 'json' };

export function resolveReportOptions(input: ReportOptionsInput): ReportOptions {
  if (input.files.length === 0) throw new InvalidOptionError('RESULT', 'give at least one result.json, e.g. stampede report results/<timestamp>/result.json');
  const out = input.out === undefined || input.out === '' ? undefined : input.out;
  let format: ReportFormat;
  if (input.format !== undefined) {
    const named = FORMAT_NAMES[input.format.toLowerCase()];
    if (named === undefined) throw new InvalidOptionError('--format', `${JSON.stringify(input.format)} is not a report format; use html, md (markdown), junit or json`);
    format = named;
  } else {
    format = (out !== undefined ? EXTENSIONS[extname(out).toLowerCase()] : undefined) ?? REPORT_DEFAULTS.format;
  }
  return { files: [...input.files], format, out };
}
