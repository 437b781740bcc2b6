// One k6 output file as decompressed chunks (plain, or gzip detected by its magic bytes), read into buffers that are
// reused: each chunk is valid until the next one is asked for. No buffer is allocated per chunk (at ~3.5 KB of JSON
// per request, fresh 256 KiB buffers made the garbage collector a tenth of a merge's time).
//
// gzip is inflated synchronously on the calling thread through the zlib handle Node's own gunzipSync drives
// (`_handle.writeSync` + `_writeState`, lib/zlib.js processChunkSync): no hop to the libuv thread pool per chunk, and
// worker threads already give the merge its parallelism. Where that interface is missing, Node's Gunzip stream is used.

import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { constants, createGunzip, type Gunzip } from 'node:zlib';
import { FileAccessError } from '../../errors.ts';

/** Decompressed bytes per chunk. */
export const CHUNK_BYTES = 256 * 1024;
const COMPRESSED_CHUNK_BYTES = 256 * 1024;

export interface K6Input {
  /** The next chunk of decompressed bytes (valid until the next call), or undefined at the end. */
  next(): Promise<Buffer | undefined>;
  close(): Promise<void>;
  /** The gzip stream ended before its end (k6 killed mid-write): what came before was returned, the rest is lost. */
  readonly cutShort: boolean;
}

/**
 * Reads are synchronous (a local file, 256 KiB at a time): each would otherwise be a hop to the thread pool and back,
 * and the reading thread has nothing else to do meanwhile (the merge's other files have their own workers, or take
 * turns between chunks).
 */
export async function openK6Input(path: string): Promise<K6Input> {
  let file: number;
  const magic = Buffer.alloc(2);
  try {
    file = openSync(path, 'r');
    readSync(file, magic, 0, 2, 0);
  } catch (error) {
    throw new FileAccessError(path, 'read', { cause: error });
  }
  if (magic[0] !== 0x1f || magic[1] !== 0x8b) return plainInput(file);
  const gunzip = createGunzip() as Gunzip & { _handle?: { writeSync?: unknown }; _writeState?: Uint32Array };
  if (typeof gunzip._handle?.writeSync !== 'function' || !(gunzip._writeState instanceof Uint32Array)) {
    gunzip.close();
    return streamInput(file);
  }
  return gzipInput(file, gunzip as unknown as SyncGunzip);
}

function plainInput(file: number): K6Input {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let position = 0;
  return {
    cutShort: false,
    async next() {
      const bytesRead = readSync(file, buffer, 0, buffer.length, position);
      position += bytesRead;
      return bytesRead === 0 ? undefined : buffer.subarray(0, bytesRead);
    },
    close: async () => closeSync(file),
  };
}

interface SyncGunzip {
  _handle: { writeSync(flush: number, input: Buffer, inOff: number, inLen: number, out: Buffer, outOff: number, outLen: number): void } | null;
  _writeState: Uint32Array; // [avail_out after, avail_in after]
  /** Set at once (zlib's error callback destroys the stream; its 'error' event comes later). */
  readonly destroyed: boolean;
  readonly errored: Error | null;
  on(event: 'error', listener: (error: Error) => void): void;
  close(): void;
}

function gzipInput(file: number, gunzip: SyncGunzip): K6Input {
  const input = Buffer.allocUnsafe(COMPRESSED_CHUNK_BYTES);
  const out = Buffer.allocUnsafe(CHUNK_BYTES);
  gunzip.on('error', () => undefined); // reported through `errored` below, synchronously
  let inOffset = 0;
  let inAvailable = 0;
  let position = 0;
  let ended = false; // the file is read through
  let finished = false; // Z_FINISH returned everything
  const inflate = (flush: number): number => {
    const handle = gunzip._handle;
    if (handle === null || gunzip.destroyed) throw gunzip.errored ?? new Error('the gzip stream was closed');
    handle.writeSync(flush, input, inOffset, inAvailable, out, 0, out.length);
    if (gunzip.destroyed) throw gunzip.errored ?? new Error('invalid gzip data');
    const [outLeft, inLeft] = gunzip._writeState as unknown as [number, number];
    inOffset += inAvailable - inLeft;
    inAvailable = inLeft;
    return out.length - outLeft;
  };
  const input_: K6Input & { cutShort: boolean } = {
    cutShort: false,
    async next() {
      for (;;) {
        if (finished) return undefined;
        if (inAvailable === 0 && !ended) {
          const bytesRead = readSync(file, input, 0, input.length, position);
          position += bytesRead;
          inOffset = 0;
          inAvailable = bytesRead;
          if (bytesRead === 0) ended = true;
        }
        if (ended) {
          // The end of the file: whatever zlib still holds. A stream cut short (no gzip trailer: k6 killed
          // mid-write) ends here with what it held, like a plain file's last line cut short; corrupt data is an error.
          let have: number;
          try {
            have = inflate(constants.Z_FINISH);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'Z_BUF_ERROR') throw error;
            input_.cutShort = true;
            finished = true;
            return undefined;
          }
          if (have < out.length) finished = true;
          if (have > 0) return out.subarray(0, have);
          continue;
        }
        const have = inflate(constants.Z_NO_FLUSH);
        if (have > 0) return out.subarray(0, have);
      }
    },
    async close() {
      gunzip.close();
      closeSync(file);
    },
  };
  return input_;
}

/** Node's Gunzip stream (the thread pool), where the synchronous interface is not there. */
function streamInput(file: number): K6Input {
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  const source = createReadStream('', { fd: file, highWaterMark: COMPRESSED_CHUNK_BYTES, start: 0, autoClose: false });
  source.on('error', (e) => gunzip.destroy(e));
  const chunks = source.pipe(gunzip)[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return {
    cutShort: false,
    async next() {
      const result = await chunks.next();
      return result.done === true ? undefined : result.value;
    },
    async close() {
      gunzip.destroy();
      source.destroy();
      closeSync(file);
    },
  };
}
