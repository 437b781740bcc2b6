// Request bodies: corpus lines (or a built-in set) compiled once into templates, rendered with fresh IDs per request.
//
// A corpus from `stampede generate` holds one JSON body per line. Each line's four per-profile UUIDs (profile,
// session, transaction group, arid) occur nowhere else in the line, so a template is the line cut at those IDs; a
// request writes its own IDs into the cuts (like the generators' pooled path).

import { SharedArray } from 'k6/data';
import { EnvError } from './env.ts';
import { builtinBodies } from './builtin-bodies.ts';

/** Slots of a template, in the order `render` takes the IDs. */
export const Slot = { profile: 0, session: 1, transactionGroup: 2, arid: 3 } as const;

export interface Template {
  /** The line between the ID occurrences: parts.length === slots.length + 1. */
  parts: string[];
  /** Which ID goes after parts[i]. */
  slots: number[];
}

/** The fresh IDs of one request, indexed by Slot. */
export type TemplateIds = readonly [profile: string, session: string, transactionGroup: string, arid: string];

/** The body a template gives with these IDs. */
export function render(template: Template, ids: TemplateIds): string {
  let out = template.parts[0]!;
  for (let i = 0; i < template.slots.length; i++) out += ids[template.slots[i]!]! + template.parts[i + 1]!;
  return out;
}

/** Cut a body at every occurrence of its IDs (`where` names the line for errors). */
export function compileTemplate(line: string, where: string): Template {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(line) as Record<string, unknown>;
  } catch (_error) {
    throw new Error(`${where} is not JSON: CORPUS must be a valid corpus written by \`stampede generate\` (not --invalid; gunzip a --gzip corpus first)`);
  }
  const profileId = typeof body === 'object' && body !== null ? body.userProfileId : undefined;
  if (typeof profileId !== 'string' || !/^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$/.test(profileId)) {
    throw new Error(`${where} has no UUID userProfileId: CORPUS must hold valid registration bodies (\`stampede generate\` without --invalid)`);
  }
  const meta = (body.tpAuditMetadata ?? {}) as Record<string, unknown>;
  const found: Array<{ at: number; slot: number }> = [];
  const seen: string[] = [];
  const mark = (id: unknown, slot: number) => {
    if (typeof id !== 'string' || id.length !== 36) return;
    // A variant line spells the profile ID in upper or mixed case: cut every spelling of it.
    for (const spelling of [id, id.toLowerCase(), id.toUpperCase()]) {
      if (seen.indexOf(spelling) !== -1) continue;
      seen.push(spelling);
      for (let at = line.indexOf(spelling); at !== -1; at = line.indexOf(spelling, at + spelling.length)) found.push({ at, slot });
    }
  };
  mark(profileId, Slot.profile);
  mark(meta.sessionId, Slot.session);
  mark(meta.transactionGroupId, Slot.transactionGroup);
  mark(body.arid, Slot.arid);
  found.sort((a, b) => a.at - b.at);
  const parts: string[] = [];
  const slots: number[] = [];
  let from = 0;
  for (const { at, slot } of found) {
    if (at < from) continue; // the same bytes matched under two names (e.g. session = transaction group)
    parts.push(line.slice(from, at));
    slots.push(slot);
    from = at + 36;
  }
  parts.push(line.slice(from));
  return { parts, slots };
}

/** Corpus text → templates: one per non-empty line. */
export function parseCorpus(text: string, name: string): Template[] {
  const lines = text.split('\n');
  const out: Template[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    out.push(compileTemplate(line, `CORPUS ${name} line ${i + 1}`));
  }
  if (out.length === 0) throw new Error(`CORPUS ${name} has no lines: write one with \`stampede generate --count 1000 --out ${name}\``);
  return out;
}

/** A relative CORPUS is taken from the directory k6 was started in ($PWD), not the script's (k6's open() rule). */
export function corpusPath(corpus: string): string {
  if (/^(\/|[A-Za-z]:[\\/])/.test(corpus)) return corpus;
  const pwd = __ENV.PWD;
  return typeof pwd === 'string' && pwd.charAt(0) === '/' ? `${pwd.replace(/\/+$/, '')}/${corpus.replace(/^\.\//, '')}` : corpus;
}

/** The templates every VU shares: the corpus read once (open() + SharedArray), or the built-in set. */
export function loadTemplates(corpus: string | undefined): Template[] {
  if (corpus !== undefined && /\.gz$/i.test(corpus)) {
    throw new EnvError('CORPUS', 'an uncompressed NDJSON corpus (k6 cannot gunzip: run `gunzip -k` first)', corpus, 'corpus.ndjson');
  }
  return new SharedArray('stampede-templates', () => {
    if (corpus === undefined) return builtinBodies().map((body, i) => compileTemplate(body, `built-in body ${i + 1}`));
    let text: string;
    try {
      text = open(corpusPath(corpus));
    } catch (error) {
      throw new EnvError('CORPUS', `a readable NDJSON file from \`stampede generate\` (${String(error)})`, corpus, 'corpus.ndjson');
    }
    return parseCorpus(text, corpus);
  });
}
