// The exit code of a run command from its result document (DESIGN.md): 0 pass, 1 fail, 3 unknown, 130 interrupted.

import { ExitCode } from '../errors.ts';
import type { ResultDocument } from '../result/result-document.ts';

export function exitCodeOf(document: ResultDocument): ExitCode {
  if (document.partial) return ExitCode.interrupted;
  return document.verdict === 'pass' ? ExitCode.pass : document.verdict === 'fail' ? ExitCode.checkFailed : ExitCode.unknown;
}
