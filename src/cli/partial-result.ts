// A run that ends in an InternalError still leaves its result: the partial document is written before the error goes on.

import { writeReports } from '../../reports/index.ts';
import { InternalError } from '../errors.ts';
import { defaultResultDirectory } from '../result/write-result.ts';

/** Await `run`; on an InternalError carrying a partial document, write it (and its reports) to `out`, then rethrow. */
export async function writingPartial<T>(out: string | undefined, run: Promise<T>): Promise<T> {
  try {
    return await run;
  } catch (error) {
    if (error instanceof InternalError && error.partial !== undefined) {
      const { json } = await writeReports(out ?? defaultResultDirectory(), error.partial);
      throw new InternalError(`${error.message.replace(/^internal error, please report: /, '')}; what was measured is in ${json}`, { cause: error.cause, partial: error.partial });
    }
    throw error;
  }
}
