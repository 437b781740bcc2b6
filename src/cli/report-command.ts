// `stampede report`: renders result documents (several are combined into one) in one format, to a file or stdout.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { renderReport } from '../../reports/index.ts';
import { ExitCode, FileAccessError } from '../errors.ts';
import { resolveReportOptions, type ReportOptionsInput } from '../options/report-options.ts';
import { combineDocuments } from '../result/combine.ts';
import { readResultDocument } from '../result/read-result.ts';
import type { Output } from './output.ts';

export async function runReportCommand(args: ReportOptionsInput, output: Output): Promise<number> {
  const options = resolveReportOptions(args);
  const documents = await Promise.all(options.files.map(async (file) => ({ name: file, document: await readResultDocument(file) })));
  const document = documents.length === 1 ? documents[0]!.document : combineDocuments(documents, { toolVersion: output.version });
  const text = renderReport(options.format, document);
  if (options.out === undefined) {
    output.out(text);
    return ExitCode.pass;
  }
  try {
    await mkdir(dirname(options.out), { recursive: true });
    await writeFile(options.out, text);
  } catch (error) {
    throw new FileAccessError(options.out, 'write', { cause: error });
  }
  output.err(`stampede report: ${options.format} report of ${options.files.length} result${options.files.length === 1 ? '' : 's'} (verdict ${document.verdict}) written to ${options.out}\n`);
  return ExitCode.pass;
}
