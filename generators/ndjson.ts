// Reading corpus files back: NDJSON split into raw lines (bytes, since invalid corpora hold lines that are not UTF-8).

/** The lines of `bytes` without their newlines; throws when the last line is incomplete (no final newline). */
export function splitLines(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let nl = bytes.indexOf(10); nl !== -1; nl = bytes.indexOf(10, start)) {
    out.push(bytes.subarray(start, nl));
    start = nl + 1;
  }
  if (start !== bytes.length) throw new Error(`the last line is incomplete: ${bytes.length - start} bytes after the last newline`);
  return out;
}

/** Each line parsed as JSON (the sidecar, or a valid corpus). */
export function parseLines<T = Record<string, unknown>>(bytes: Buffer): T[] {
  return splitLines(bytes).map((line) => JSON.parse(line.toString('utf8')) as T);
}
