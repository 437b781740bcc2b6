// `stampede conform --list`: every check instance, one per line: ID, effective level, where the level came from, the
// source it rests on, its meaning and the reference.

import type { ConformProfile } from '../options/conform-options.ts';
import type { CheckInstance } from './catalogue.ts';
import { effectiveLevel, type EffectiveLevel, type LevelRule } from './levels.ts';

/** `default`, `profile` or `override(PATTERN)`: no spaces, so the line splits into columns on whitespace. */
export function levelOrigin(level: EffectiveLevel): string {
  return level.from === 'override' ? `override(${level.rule})` : level.from;
}

export function formatCatalogue(instances: readonly CheckInstance[], profile: ConformProfile, rules: readonly LevelRule[]): string {
  const rows = instances.map((i) => ({ i, level: effectiveLevel(i, profile, rules) }));
  const width = Math.min(56, Math.max(...instances.map((i) => i.id.length)));
  const fromWidth = Math.min(32, Math.max(7, ...rows.map((r) => levelOrigin(r.level).length)));
  return (
    rows
      .map(({ i, level }) => `${i.id.padEnd(width)}  ${level.level.padEnd(6)}  ${levelOrigin(level).padEnd(fromWidth)}  ${i.source.padEnd(11)}  ${i.title}  [${i.reference}]`)
      .join('\n') + '\n'
  );
}
