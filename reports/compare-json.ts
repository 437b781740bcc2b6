// The comparison as JSON: the comparison document itself, pretty-printed (two spaces, final newline).

import type { ComparisonDocument } from '../src/compare/comparison-document.ts';

export function renderComparisonJson(document: ComparisonDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
