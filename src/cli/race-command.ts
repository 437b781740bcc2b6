// `stampede race`: synchronised bursts of duplicate registrations; Ctrl-C writes the partial result; exit 1 when a race
// (more than one 2xx for one ID) was reproduced, 0 when none, 3 when unknown, 130 when interrupted.

import { RACE_DEFAULTS } from '../defaults.ts';
import { runRace } from '../engines/race/race-run.ts';
import { resolveRaceOptions, type RaceOptionsInput } from '../options/race-options.ts';
import type { ResultDocument } from '../result/result-document.ts';
import { defaultResultDirectory } from '../result/write-result.ts';
import { writeReports } from '../../reports/index.ts';
import { join } from 'node:path';
import { exitCodeOf } from './exit-code.ts';
import { withInterrupt } from './interrupt.ts';
import type { Output } from './output.ts';

export async function runRaceCommand(args: RaceOptionsInput, output: Output): Promise<number> {
  const options = resolveRaceOptions(args);
  const out = options.out ?? defaultResultDirectory();
  output.err(
    options.replay
      ? `stampede race: replaying ${options.replay} byte for byte\n`
      : `stampede race: ${options.bursts} bursts of ${options.width} (${options.sync}${options.warmup ? ', warm-up' : ''}${options.blockerBytes ? `, blocker ${options.blockerBytes} bytes` : ''}, ids ${options.ids}), seed ${options.seed} (replay with --replay ${join(out, RACE_DEFAULTS.replayFile)})\n`,
  );
  return withInterrupt('race', output, 'stopping after the burst in flight, then writing the partial result', async (signal) => {
    const document = await runRace(options, {
      toolVersion: output.version,
      signal,
      outDir: out,
      onPhase: (phase) => output.err(`stampede race: ${phase}\n`),
      onTrouble: (line) => output.err(`stampede race: ${line}\n`),
    });
    // result.json and the three reports beside it (report.html, report.md, junit.xml).
    const { json: path, html } = await writeReports(out, document);
    output.out(formatRaceSummary(document, path));
    output.out(`report: ${html}\n`);
    return exitCodeOf(document);
  });
}

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
const us = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));

export function formatRaceSummary(doc: ResultDocument, resultPath: string | undefined): string {
  const race = doc.race;
  const lines = [
    `stampede race: ${race?.sync ?? '?'}, ${race?.bursts.length ?? 0} bursts of ${race?.width ?? 0}, seed ${doc.seed}, target ${doc.target.url}${doc.target.embedded ? ' (embedded reference service' + (doc.target.faults?.length ? `, faults ${doc.target.faults.join(' ')}` : '') + ')' : ''}${doc.partial ? ' — PARTIAL (interrupted)' : ''}`,
    `  requests ${doc.totals.sent} = ok ${doc.totals.ok} + fail ${doc.totals.fail} + indeterminate ${doc.totals.indeterminate} · statuses ${Object.entries(doc.statuses).map(([s, c]) => `${s}: ${c}`).join(' · ') || 'none'}${Object.keys(doc.errors).length ? ` · errors ${Object.entries(doc.errors).map(([k, c]) => `${k}: ${c}`).join(' · ')}` : ''}`,
  ];
  if (race) {
    lines.push(`  race reproduced (more than one 2xx for one ID) in ${race.reproduced} of ${race.bursts.length} bursts: detection rate ${pct(race.detectionRate)}`);
    lines.push(`  release spread p50 ${us(race.spreadUs.p50)} · p90 ${us(race.spreadUs.p90)} · p99 ${us(race.spreadUs.p99)} · max ${us(race.spreadUs.max)} µs`);
    if (race.baseline) {
      const b = race.baseline;
      lines.push(`  naive baseline: reproduced in ${b.reproduced} of ${b.bursts} bursts (${pct(b.detectionRate)}), spread p50 ${us(b.spreadUs.p50)} µs`);
    }
    if (race.blocker) {
      const k = race.blocker;
      lines.push(`  blocker: ${k.sent} × ${k.bytes}-byte JSON array, final byte ${k.leadUs} µs ahead of each burst (not in the counts above); answers ${Object.entries(k.answers).map(([s, c]) => `${s}: ${c}`).join(' · ') || 'none'}`);
    }
    const example = race.bursts.find((b) => b.successes > 1);
    if (example) lines.push(`      e.g. burst ${example.index}, ID ${example.id}: ${example.successes} × 2xx of ${example.statuses.length}`);
  }
  for (const invariant of doc.invariants) {
    const head = `  ${invariant.id} ${invariant.title}`;
    lines.push(`${head} ${'.'.repeat(Math.max(2, 58 - head.length))} ${invariant.verdict.toUpperCase()}${invariant.violations ? ` (${invariant.violations} violation${invariant.violations === 1 ? '' : 's'})` : ''}`);
  }
  lines.push(`verdict: ${doc.verdict.toUpperCase()}${doc.verdictReasons.length ? ` — ${doc.verdictReasons.join('; ')}` : ''}`);
  if (resultPath) lines.push(`result: ${resultPath}`);
  if (race?.replayFile && resultPath) lines.push(`replay: stampede race --replay ${join(resultPath, '..', race.replayFile)}${doc.target.embedded ? '' : ' --target …'}`);
  return `${lines.join('\n')}\n`;
}
