// The JSON report: the result document itself, pretty-printed (two spaces, the document's own key order, final newline).

import type { ResultDocument } from '../src/result/result-document.ts';

export function renderJson(document: ResultDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
