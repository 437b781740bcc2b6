// The report writers: one per format, each taking only the result document; renderReport and writeReports pick them.

import type { ResultDocument } from '../src/result/result-document.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { writeRendered } from './write-rendered.ts';

export { renderHtml, REPORT_CSP } from './html.ts';
export { renderJson } from './json.ts';
export { renderJunit } from './junit.ts';
export { renderMarkdown } from './markdown.ts';

export type ReportFormat = 'json' | 'markdown' | 'junit' | 'html';

export const REPORT_FORMATS: readonly ReportFormat[] = ['json', 'markdown', 'junit', 'html'];

/** The file each format is written to by writeReports. */
export const REPORT_FILES: Record<ReportFormat, string> = { json: 'result.json', markdown: 'report.md', junit: 'junit.xml', html: 'report.html' };

const RENDERERS: Record<ReportFormat, (document: ResultDocument) => string> = {
  json: renderJson,
  markdown: renderMarkdown,
  junit: renderJunit,
  html: renderHtml,
};

export function renderReport(format: ReportFormat, document: ResultDocument): string {
  return RENDERERS[format](document);
}

/** Writes every format (or the given ones) into directory (created if needed); returns the paths by format. */
export async function writeReports<F extends ReportFormat = ReportFormat>(directory: string, document: ResultDocument, formats?: readonly F[]): Promise<Record<F, string>> {
  const chosen = (formats ?? REPORT_FORMATS) as readonly F[];
  return writeRendered(directory, chosen, (format) => REPORT_FILES[format], (format) => renderReport(format, document));
}
