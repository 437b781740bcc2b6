// The level of each check: the default that follows from its source, --profile strict (every SHOULD a MUST), then the
// user's --level rules (globs over check IDs; the last matching rule wins). `off` removes a check from the run.

import { InvalidOptionError } from '../errors.ts';
import type { CheckLevel, LevelOrigin } from '../result/result-document.ts';

/** A level a rule may set: a check's level, or OFF (not sent, not judged). */
export type LevelSetting = CheckLevel | 'OFF';

const WORDS: Record<string, LevelSetting> = { must: 'MUST', should: 'SHOULD', may: 'MAY', off: 'OFF' };
const EXAMPLE = "e.g. --level 'SCHEMA-400.*=must' --level 'METHOD-405-ALLOW.*=off'";

export interface LevelRule {
  /** A glob over check IDs: `*` any characters (dots and slashes too), `?` one; case-insensitive; the whole ID. */
  pattern: string;
  level: LevelSetting;
  /** Where the rule was given: `--level`, or the config file and its place in it. */
  given: string;
}

export interface EffectiveLevel {
  level: LevelSetting;
  from: LevelOrigin;
  /** The pattern of the rule that set it (from `override`). */
  rule?: string;
}

/** `PATTERN=LEVEL` as typed after --level. */
export function parseLevelFlag(text: string): LevelRule {
  const at = text.lastIndexOf('=');
  if (at <= 0) throw new InvalidOptionError('--level', `${JSON.stringify(text)} is not PATTERN=LEVEL (LEVEL: must, should, may or off); ${EXAMPLE}`);
  return levelRule(text.slice(0, at), text.slice(at + 1), '--level', '--level');
}

/** One rule, validated; `option` is what an error names (--level, or --config for the config file). */
export function levelRule(pattern: string, level: string, given: string, option: string): LevelRule {
  const where = option === '--level' ? '' : `${given} `;
  const setting = WORDS[level.trim().toLowerCase()];
  if (setting === undefined) throw new InvalidOptionError(option, `${where}${JSON.stringify(`${pattern}=${level}`)}: the level must be must, should, may or off; ${EXAMPLE}`);
  if (pattern.trim() === '') throw new InvalidOptionError(option, `${where}${JSON.stringify(`${pattern}=${level}`)}: the pattern is empty; ${EXAMPLE}`);
  return { pattern: pattern.trim(), level: setting, given };
}

const compiled = new Map<string, RegExp>();

/**
 * Whether a glob matches a whole check ID. Not a path glob (picomatch, minimatch): there `*` stops at `/`, and check
 * IDs carry JSON Pointers (`SCHEMA-400./countryCode.enum:UK`), which `SCHEMA-400.*` must match.
 */
export function globMatches(pattern: string, id: string): boolean {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    const body = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&'))).join('');
    regex = new RegExp(`^${body}$`, 'is');
    compiled.set(pattern, regex);
  }
  return regex.test(id);
}

/** The last matching rule wins; else --profile strict makes a SHOULD a MUST; else the level that follows from the source. */
export function effectiveLevel(check: { id: string; level: CheckLevel }, profile: 'default' | 'strict', rules: readonly LevelRule[]): EffectiveLevel {
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i]!;
    if (globMatches(rule.pattern, check.id)) return { level: rule.level, from: 'override', rule: rule.pattern };
  }
  if (profile === 'strict' && check.level === 'SHOULD') return { level: 'MUST', from: 'profile' };
  return { level: check.level, from: 'default' };
}

/** A rule that matches no check is a mistake (a typo would silently change nothing): exit 2 naming it. */
export function requireMatches(rules: readonly LevelRule[], ids: readonly string[]): void {
  for (const rule of rules) {
    if (ids.some((id) => globMatches(rule.pattern, id))) continue;
    const option = rule.given === '--level' ? '--level' : '--config';
    const where = option === '--level' ? '' : `${rule.given} `;
    throw new InvalidOptionError(
      option,
      `${where}${JSON.stringify(rule.pattern)} matches no check ID; a pattern is a glob over the IDs \`stampede conform --list\` prints (* any characters, ? one), e.g. 'SCHEMA-400.*' for every instance of SCHEMA-400`,
    );
  }
}

/** The rules as the result document records them. */
export function describeRules(rules: readonly LevelRule[]): Array<{ pattern: string; level: string; given: string }> {
  return rules.map((r) => ({ pattern: r.pattern, level: r.level.toLowerCase(), given: r.given }));
}
