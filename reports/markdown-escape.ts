// Markdown escaping for target-provided strings: GitHub renders HTML, links, images and @mentions inside Markdown.

import { cleanText } from './view.ts';

/** Characters Markdown (GFM) gives a meaning to inline; each is backslash-escaped (`(` only matters after `]`, escaped). */
const MARKDOWN_PUNCTUATION = /[\\`*_[\]#|~]/g;

/**
 * One line of inert text: whitespace runs (newlines too) become one space, `&<>` become entities (no raw HTML), Markdown
 * punctuation is backslash-escaped (no links, images, emphasis, table breaks; a leading list or heading marker too), and `@` is followed by a word joiner
 * (U+2060) so a target cannot ping people in a PR comment.
 */
export function mdText(text: string): string {
  return cleanText(text)
    .replace(/\s+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`)
    .replace(/^(\d+)([.)])(?= |$)|^([-+=])(?= |$)/, (_, digits, mark, sign) => (sign ? `\\${sign}` : `${digits}\\${mark}`))
    .replace(/@/g, '@\u2060');
}

/**
 * A fenced code block: its content is shown literally (no HTML, no links, no mentions). The fence is longer than any
 * backtick run in the content, so the content cannot close it.
 */
export function mdFence(content: string, info = ''): string {
  const text = cleanText(content).replace(/\r\n?/g, '\n');
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${text}\n${fence}`;
}

/** A GFM table from a header row and body rows; every cell is escaped text unless given as { md } (already Markdown). */
export function mdTable(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | { md: string }>>, align?: ReadonlyArray<'l' | 'r'>): string {
  const cell = (value: string | number | { md: string }) => (typeof value === 'object' ? value.md : mdText(String(value)));
  const rule = header.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  return [`| ${header.map(cell).join(' | ')} |`, `| ${rule.join(' | ')} |`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)].join('\n');
}
