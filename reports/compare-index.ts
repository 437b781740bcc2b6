// The comparison writers: one per format, each taking only the comparison document; renderComparison picks one.

import type { ComparisonDocument } from '../src/compare/comparison-document.ts';
import { renderComparisonHtml } from './compare-html.ts';
import { renderComparisonJson } from './compare-json.ts';
import { renderComparisonJunit } from './compare-junit.ts';
import { renderComparisonMarkdown } from './compare-markdown.ts';
import { writeRendered } from './write-rendered.ts';

export type ComparisonFormat = 'markdown' | 'html' | 'json' | 'junit';

/** The file each format is written to by writeComparisonReports (beside a gate's own reports). */
export const COMPARISON_FILES: Record<ComparisonFormat, string> = { json: 'comparison.json', markdown: 'comparison.md', html: 'comparison.html', junit: 'comparison-junit.xml' };

const RENDERERS: Record<ComparisonFormat, (document: ComparisonDocument) => string> = {
  markdown: renderComparisonMarkdown,
  html: renderComparisonHtml,
  json: renderComparisonJson,
  junit: renderComparisonJunit,
};

export function renderComparison(format: ComparisonFormat, document: ComparisonDocument): string {
  return RENDERERS[format](document);
}

/** Writes the given formats into directory (created if needed); returns the paths by format. */
export async function writeComparisonReports<F extends ComparisonFormat>(directory: string, document: ComparisonDocument, formats: readonly F[]): Promise<Record<F, string>> {
  return writeRendered(directory, formats, (format) => COMPARISON_FILES[format], (format) => renderComparison(format, document));
}
