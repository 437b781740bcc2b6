// `stampede compare BASE NEW`: read both sides, compare them, render one format to a file or stdout.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { renderComparison } from '../../reports/compare-index.ts';
import { compareRuns } from '../compare/compare-runs.ts';
import type { ComparisonDocument } from '../compare/comparison-document.ts';
import { describeChange } from '../compare/describe.ts';
import { readSide } from '../compare/read-sides.ts';
import { ExitCode, FileAccessError } from '../errors.ts';
import { resolveCompareOptions, type CompareOptionsInput } from '../options/compare-options.ts';
import type { Output } from './output.ts';

export async function runCompareCommand(args: CompareOptionsInput, output: Output): Promise<number> {
  const options = resolveCompareOptions(args);
  const base = await readSide('BASE', options.base);
  const next = await readSide('NEW', options.new);
  const document = compareRuns({ base, new: next, alpha: options.alpha, limits: options.limits, toolVersion: output.version });
  const text = renderComparison(options.format, document);
  if (options.out === undefined) {
    output.out(text);
  } else {
    try {
      await mkdir(dirname(options.out), { recursive: true });
      await writeFile(options.out, text);
    } catch (error) {
      throw new FileAccessError(options.out, 'write', { cause: error });
    }
  }
  output.err(`stampede compare: ${summary(document)}${options.out ? `; ${options.format} written to ${options.out}` : ''}\n`);
  if (!document.limits) return ExitCode.pass;
  return document.verdict === 'pass' ? ExitCode.pass : document.verdict === 'fail' ? ExitCode.checkFailed : ExitCode.unknown;
}

function summary(doc: ComparisonDocument): string {
  const changed = (change: 'regression' | 'improvement') => doc.figures.filter((f) => f.change === change).map((f) => `${f.title} ${describeChange(f)}`);
  const regressions = changed('regression');
  const improvements = changed('improvement');
  return [
    `${doc.base.length} base run${doc.base.length === 1 ? '' : 's'} against ${doc.new.length} new`,
    regressions.length ? `regressions: ${regressions.join(', ')}` : 'no significant regression',
    ...(improvements.length ? [`improvements: ${improvements.join(', ')}`] : []),
    ...(doc.likeForLike ? [] : [`not like for like (${doc.differences.map((d) => d.fact).join(', ')})`]),
    ...(doc.limits ? [`limits: ${doc.verdict.toUpperCase()}`] : []),
  ].join(' · ');
}
