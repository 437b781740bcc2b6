// Writing rendered reports into a directory, one file per format: shared by writeReports and writeComparisonReports.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileAccessError } from '../src/errors.ts';

/**
 * Creates `directory` if needed and writes `render(format)` to `fileOf(format)` in it for each format, in order;
 * returns the paths by format. A directory or file that cannot be written is a FileAccessError naming it.
 */
export async function writeRendered<F extends string>(directory: string, formats: readonly F[], fileOf: (format: F) => string, render: (format: F) => string): Promise<Record<F, string>> {
  const paths = {} as Record<F, string>;
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    throw new FileAccessError(directory, 'write', { cause: error });
  }
  for (const format of formats) {
    const path = join(directory, fileOf(format));
    try {
      await writeFile(path, render(format));
    } catch (error) {
      throw new FileAccessError(path, 'write', { cause: error });
    }
    paths[format] = path;
  }
  return paths;
}
