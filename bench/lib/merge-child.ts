// One measured run of bench:merge in its own process (so that its peak RSS is its own): prints one JSON line.
//
//   node --import tsx bench/lib/merge-child.ts merge|floor|held FILE…
//   merge: `stampede merge FILE…` through the CLI's main() (worker threads as the CLI decides: none on one core);
//          with MERGE_THREADS=N, the same merge and reports with N worker threads whatever the input's size (so that
//          the one-request run that measures start-up starts them too)
//   floor: every line of every file decompressed the same way, split and given to JSON.parse (no ledger)
//   held:  the merge's reading and replay into one ledger, then the memory still held (heap + external) after a GC
//          (run with --expose-gc)

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeReports } from '../../reports/index.ts';
import { main } from '../../src/cli/main.ts';
import { mergeK6Outputs } from '../../src/engines/k6/merge-run.ts';
import { openEventSources } from '../../src/engines/k6/event-sources.ts';
import { openK6Input } from '../../src/engines/k6/k6-input.ts';
import { replayEvents } from '../../src/engines/k6/replay.ts';
import { Ledger } from '../../src/ledger/ledger.ts';
import type { ResultDocument } from '../../src/result/result-document.ts';
import { RunStats } from '../../src/result/run-stats.ts';

const [mode, ...files] = process.argv.slice(2);
const rssMb = () => process.resourceUsage().maxRSS / 1024;

async function floor(): Promise<{ requests: number; lines: number }> {
  let lines = 0;
  let requests = 0;
  for (const file of files) {
    const input = await openK6Input(file);
    let pending = '';
    for (let chunk = await input.next(); chunk !== undefined; chunk = await input.next()) {
      const text = pending + chunk.toString('utf8');
      let p = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', p)) {
        const value = JSON.parse(text.slice(p, nl)) as { metric?: string; type?: string; data?: { metadata?: unknown } };
        lines++;
        if (value.type === 'Point' && value.metric === 'http_reqs' && value.data?.metadata !== undefined) requests++;
        p = nl + 1;
      }
      pending = text.slice(p);
    }
    await input.close();
  }
  return { requests, lines };
}

async function merge(): Promise<{ requests: number; lines: number }> {
  const out = mkdtempSync(join(tmpdir(), 'stampede-bench-merge-'));
  try {
    let err = '';
    if (process.env.MERGE_THREADS !== undefined) {
      const options = { files, conflictStatus: 409, maxIndeterminateShare: 0.01, probe: undefined, threads: Number(process.env.MERGE_THREADS) };
      await writeReports(out, await mergeK6Outputs(options, { toolVersion: 'bench' }));
    } else {
      const code = await main(['merge', ...files, '--out', out], { out: () => undefined, err: (s) => void (err += s), version: 'bench' });
      if (code !== 3 && code !== 0) throw new Error(`stampede merge exited with ${code}: ${err}`);
    }
    const doc = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as ResultDocument;
    const inputs = doc.config.inputs as Array<{ lines: number; peakHeld: number }>;
    return { requests: doc.totals.byKind.first!.sent + (doc.totals.byKind.duplicate?.sent ?? 0), lines: inputs.reduce((n, input) => n + input.lines, 0) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

async function held(): Promise<{ requests: number; heldBytes: number; ledgerBytes: number }> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  // After a GC, V8 frees array buffers' memory in the background (later on a busy machine): measure once two
  // readings 100 ms apart agree (at most 5 s).
  const settled = async () => {
    let last = Number.POSITIVE_INFINITY;
    for (let k = 0; k < 50; k++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const m = process.memoryUsage();
      const now = m.heapUsed + m.external;
      if (Math.abs(now - last) < 64 * 1024) return now;
      last = now;
    }
    return last;
  };
  // Warm up first (code, JIT, module caches are not held per request): a merge of the first file's first batches.
  await read([files[0]!], 1);
  const base = await settled();
  const { ledger, stats, requests } = await read(files);
  const heldBytes = (await settled()) - base;
  if (stats.perSecond().length === 0) throw new Error('no data');
  return { requests, heldBytes, ledgerBytes: ledger.memoryBytes() };
}

/** The merge's reading and replay; the readers (and their bounded windows) are let go before this returns. */
async function read(paths: string[], batches = Number.POSITIVE_INFINITY): Promise<{ ledger: Ledger; stats: RunStats; requests: number }> {
  const ledger = new Ledger({ conflictStatus: 409 });
  const stats = new RunStats();
  const sources = openEventSources(paths, { threads: 0 });
  let left = batches;
  const limited = { ...sources, next: (file: number) => (left-- > 0 ? sources.next(file) : Promise.reject(new Error('enough'))) };
  try {
    const replay = await replayEvents(limited, paths, ledger, stats);
    ledger.close(replay.lastAnsweredAt);
    return { ledger, stats, requests: replay.requests };
  } catch (error) {
    if ((error as Error).message !== 'enough') throw error;
    return { ledger, stats, requests: 0 };
  } finally {
    await sources.close();
  }
}

const run = mode === 'floor' ? floor : mode === 'held' ? held : merge;
const result = await run();
process.stdout.write(`${JSON.stringify({ ...result, maxRssMb: rssMb() })}\n`);
