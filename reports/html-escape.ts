// HTML built by a tagged template that escapes every interpolated string: markup only ever comes from this code.

import { cleanText } from './view.ts';

/** Markup this code generated (never a string from the document); interpolated as is. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlPart = Html | string | number | boolean | undefined | null | readonly HtmlPart[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Text safe in element content and in quoted attribute values (also SVG <title>): all of & < > " ' ` escaped. */
export function escapeHtml(text: string): string {
  return cleanText(text).replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c);
}

function render(part: HtmlPart): string {
  if (part instanceof Html) return part.value;
  if (part === undefined || part === null || part === false || part === true) return '';
  if (typeof part === 'number') return Number.isFinite(part) ? String(part) : '';
  if (typeof part === 'string') return escapeHtml(part);
  let out = '';
  for (const inner of part) out += render(inner);
  return out;
}

/** html`<td>${value}</td>`: strings are escaped, Html fragments and arrays of them are inserted, false/null/undefined vanish. */
export function html(strings: TemplateStringsArray, ...values: HtmlPart[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new Html(out);
}

/** A number for an SVG coordinate or attribute: rounded to 0.1, never NaN (0 instead). */
export function coord(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value * 10) / 10) : '0';
}
