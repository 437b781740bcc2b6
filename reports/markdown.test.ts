// The Markdown report on the fixture documents: verdict first, every section its data calls for, target text inert.
import { describe, expect, it } from 'vitest';
import { fixture, HOSTILE, hostileEverywhere } from './fixtures.ts';
import { mdFence, mdText } from './markdown-escape.ts';
import { renderMarkdown } from './markdown.ts';

/** The lines outside fenced code blocks (where Markdown and HTML are interpreted). */
function outsideFences(markdown: string): string[] {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^(`{3,})/.exec(line)?.[1];
    if (fence === undefined && marker) fence = marker;
    else if (fence !== undefined && line === fence) fence = undefined;
    else if (fence === undefined) out.push(line);
  }
  return out;
}

describe('markdown report', () => {
  it('opens with the verdict and its reasons, then throughput and the latency table', () => {
    const md = renderMarkdown(fixture('load-fail'));
    const lines = md.split('\n');
    expect(lines[0]).toBe('## ❌ stampede: FAIL');
    expect(md).toContain('- U1 uniqueness: 277 violation(s)');
    expect(md.indexOf('### Throughput')).toBeGreaterThan(md.indexOf('- U3 durability'));
    expect(md).toContain('**8,475** requests = 8,123 ok + 346 fail + 6 indeterminate');
    expect(md).toMatch(/\| all \| 4,719 \| 13\.4 \| 10\.2 \| 25\.6 \| 47\.0 \| 101 \| 123 \|/);
    expect(md).toContain('**44 lost**');
  });

  it('shows each invariant with counts, and the examples of the violated ones with their timelines', () => {
    const md = renderMarkdown(fixture('load-fail'));
    expect(md).toMatch(/\| U1 \| uniqueness \| ❌ FAIL \| 3,758 \| 277 \|/);
    expect(md).toMatch(/\| U2 \| no false conflict \| ✅ PASS \| 657 \| 0 \|/);
    expect(md).toContain('<summary>U3 examples (3 of 44)');
    expect(md).toContain('d1cc0e71-9d58-4996-9b5a-2d623eddb304: lost acknowledged write');
    expect(md).toMatch(/sent 2,181 ms +probe +→ 201 at 2,254 ms \(fail\)/);
  });

  it('marks a partial result and an unknown invariant', () => {
    const md = renderMarkdown(fixture('load-partial'));
    expect(md.split('\n')[0]).toBe('## ❔ stampede: UNKNOWN');
    expect(md).toContain('> **Partial result:** interrupted (Ctrl-C)');
    expect(md).toMatch(/\| U3 \| durability \| ❔ UNKNOWN \|/);
  });

  it('summarises race bursts: detection rate, spread, successes per burst, the reproduced bursts', () => {
    const md = renderMarkdown(fixture('race'));
    expect(md).toContain('race reproduced (more than one 2xx for one ID) in **8** bursts, detection rate **80.0%**');
    expect(md).toContain('Release spread p50 623 µs');
    expect(md).toContain('Naive baseline: reproduced in 4 of 10 bursts (40.0%)');
    expect(md).toContain('1 × 2xx: 2 bursts · 28 × 2xx: 1 burst · 30 × 2xx: 1 burst · 32 × 2xx: 6 bursts');
    expect(md).toMatch(/\| 4 \| 1caac61b-e9d8-408e-bd1c-4eb13f70caac \| 28 of 32 \| 6,980 µs \| 201 ×28 · 409 ×4 \|/);
  });

  it('shows the --blocker requests beside the bursts, outside their counts', () => {
    const doc = fixture('race');
    doc.race!.blocker = { bytes: 262_144, leadUs: 300, sent: 10, answers: { '400': 9, timeout: 1 } };
    expect(renderMarkdown(doc)).toContain('Blocker: one 262,144-byte request per burst released 300 µs before the burst to keep the server busy (10 sent; answers 400: 9 · timeout: 1); not counted in the bursts.');
    expect(renderMarkdown(fixture('race'))).not.toContain('Blocker:');
  });

  it('lists failing checks with their curl commands in fenced blocks', () => {
    const doc = fixture('conformance-fail');
    const md = renderMarkdown(doc);
    expect(md).toContain('31 checks: 16 pass, 15 fail, 0 warn, 0 unknown.');
    expect(md).toMatch(/\| CREATE-201\.minimal \| MUST \| ❌ FAIL \| 201 \| 200 \| answered 200, expected 201 \|/);
    const curl = doc.checks!.find((c) => c.id === 'CREATE-201.minimal')!.curl!;
    expect(md).toContain(`\`\`\`sh\n${curl}\n\`\`\``);
    expect(md).not.toMatch(/\| DUP-409 \|/); // passing checks are only counted
  });

  it('shows phases, thresholds and a SHOULD failure as a warning in a combined document', () => {
    const md = renderMarkdown(fixture('combined'));
    expect(md).toMatch(/\| conformance \| conformance \| ✅ PASS \| /);
    expect(md).toMatch(/\| race \| race \| ❌ FAIL \| 320 \| /);
    expect(md).toMatch(/\| throughput of the load phase ≥ 10000 req\/s \| 10000 req\/s \| 6715\.8 req\/s \| ❌ FAIL \|/);
    expect(md).toMatch(/\| p99\.9 latency of the race phase ≤ 100 ms \| 100 ms \| not measured \| ❔ UNKNOWN \|/);
    expect(md).toMatch(/\| DUP-409 \| SHOULD \| ⚠️ WARN \| 422 \| 409 \|/);
  });

  it('keeps every hostile string inert: no raw HTML outside code blocks but our own <details>, no links or images', () => {
    const md = renderMarkdown(hostileEverywhere(fixture('combined')));
    const interpreted = outsideFences(md).join('\n');
    expect(md).toContain(HOSTILE[0]); // shown literally in code blocks (curl), so the test sees the payload
    const tags = interpreted.match(/<\/?[a-z][^>]*>/gi) ?? [];
    expect(new Set(tags.map((t) => t.replace(/>.*$/, '>')))).toEqual(new Set(['<details>', '<summary>', '</summary>', '</details>']));
    expect(interpreted).toContain('&lt;script&gt;window.\\_\\_pwned=1&lt;/script&gt;');
    expect(interpreted).not.toMatch(/(?<!\\)\]\(/); // no [text](url) link or image
  });

  it('escapes text and fences code so the content cannot close its fence', () => {
    expect(mdText('a|b *c* [x](y) <b>&\n@team - ok')).toBe('a\\|b \\*c\\* \\[x\\](y) &lt;b&gt;&amp; @\u2060team - ok');
    expect(mdText('- item')).toBe('\\- item');
    expect(mdText('1. item')).toBe('1\\. item');
    expect(mdFence('x ```` y\n```', 'sh')).toBe('`````sh\nx ```` y\n```\n`````');
  });
});
