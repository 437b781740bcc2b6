// A second read of the input files for the few IDs a merged verdict gives as examples: each one's attempts per file,
// for the example's note. The merge itself keeps no per-request record (it streams), so this costs a read, and only
// when there are examples to explain.

import { parseUuid } from '../../ledger/uuid-key.ts';
import { scanK6Output } from './k6-output-reader.ts';
import { RecordBuilder, type RecordSink } from './request-records.ts';
import type { WindowRecord } from './time-window.ts';

export interface FoundAttempt {
  file: number;
  duplicate: boolean;
  sentAt: number; // ms since epoch
  answeredAt: number; // ms since epoch
  status: number;
  errorCode: number;
}

const KEY = new Uint32Array(4);

/** The attempts of each of `ids` (canonical) in every file, in file order. */
export async function findAttempts(files: readonly string[], ids: readonly string[]): Promise<Map<string, FoundAttempt[]>> {
  const found = new Map<string, FoundAttempt[]>(ids.map((id) => [id, []]));
  const words = ids.map((id) => (parseUuid(id, KEY) ? Array.from(KEY) : undefined));
  await Promise.all(
    files.map(async (path, file) => {
      const sink: RecordSink = {
        boundMs: 0,
        add(r: WindowRecord) {
          for (let k = 0; k < ids.length; k++) {
            const w = words[k];
            const match = r.extraId !== undefined ? r.extraId === ids[k] : w !== undefined && w[0] === r.k0 && w[1] === r.k1 && w[2] === r.k2 && w[3] === r.k3;
            if (match) found.get(ids[k]!)!.push({ file, duplicate: r.duplicate, sentAt: r.sentAt, answeredAt: r.answeredAt, status: r.status, errorCode: r.errorCode });
          }
        },
      };
      const builder = new RecordBuilder(path, sink);
      builder.end(await scanK6Output(path, builder.onPoint));
    }),
  );
  return found;
}
