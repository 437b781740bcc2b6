import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GATE_DEFAULTS } from '../defaults.ts';
import { InvalidOptionError } from '../errors.ts';
import { loadGateConfig, resolveGateOptions } from './gate-options.ts';

const EXAMPLE = fileURLToPath(new URL('../gate/gate.example.jsonc', import.meta.url));

async function configFile(text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'stampede-gate-config-')), 'gate.json');
  await writeFile(path, text);
  return path;
}

describe('gate options', () => {
  it('defaults: the documented CI smoke thresholds and short phases', () => {
    const options = resolveGateOptions({});
    expect(options.thresholds).toEqual(GATE_DEFAULTS.thresholds);
    expect(options.load.stop).toEqual({ kind: 'duration', ms: GATE_DEFAULTS.load.durationMs });
    expect(options.race?.bursts).toBe(GATE_DEFAULTS.race.bursts);
    expect(options.target).toBeUndefined();
  });

  it('the commented example file loads, fits the schema, and its values reach the options', async () => {
    const config = await loadGateConfig(EXAMPLE);
    const options = resolveGateOptions({}, config);
    expect(options.thresholds).toEqual({ maxP99Ms: 50, maxErrorRate: 0.001, minThroughput: 1000 });
    expect(options.load.model).toEqual({ kind: 'closed', connections: 64 });
    expect(options.load.probe).toEqual({ mode: 'sample', size: 5000 });
    expect(options.race).toMatchObject({ bursts: 50, width: 32, sync: 'last-byte', baselineBursts: 10, ids: 'same', warmup: false, blockerBytes: 0 });
    expect(options.conformance).toMatchObject({ profile: 'default', fuzz: 300 });
    expect(options.conformance.levels.map((r) => [r.pattern, r.level])).toEqual([['SCHEMA-400.*', 'MUST'], ['METHOD-405-ALLOW.*', 'OFF']]);
    expect(options.target?.origin).toBe('http://127.0.0.1:8080');
  });

  it('flags win over the config file', async () => {
    const options = resolveGateOptions({ maxP99: '20ms', duration: '5s', bursts: 0 }, await loadGateConfig(EXAMPLE));
    expect(options.thresholds.maxP99Ms).toBe(20);
    expect(options.load.stop).toEqual({ kind: 'duration', ms: 5000 });
    expect(options.race).toBeUndefined();
    const race = resolveGateOptions({ ids: 'variants', raceWarmup: true, blocker: '64kib' }, await loadGateConfig(EXAMPLE)).race;
    expect(race).toMatchObject({ ids: 'variants', warmup: true, blockerBytes: 65_536 });
    // --warmup and --max-lag are the load phase's (a duration and a lag limit), flags over the file.
    const load = resolveGateOptions({ rate: 500, warmup: '1s', maxLag: 'p99.9=20ms' }, await loadGateConfig(EXAMPLE)).load;
    expect(load).toMatchObject({ warmupMs: 1000, maxLag: { off: false, percentile: 99.9, limitMs: 20 } });
    expect(resolveGateOptions({}, await loadGateConfig(EXAMPLE)).load).toMatchObject({ warmupMs: 0, maxLag: { percentile: 99, limitMs: 5 }, engine: 'http1' });
  });

  it('each phase draws its IDs from its own seed derived from the one printed', () => {
    const options = resolveGateOptions({ seed: 42 });
    expect(options.seed).toBe(42);
    expect(options.conformance.seed).toBe(42);
    expect(new Set([options.conformance.seed, options.load.seed, options.race?.seed]).size).toBe(3);
    expect(resolveGateOptions({ seed: 42 }).load.seed).toBe(options.load.seed);
  });

  it.each([
    ['{ "thresholds": { "maxP99": "fast" } }', /--config: \S+gate\.json \/thresholds\/maxP99: "fast" is not a duration.*\(the flag --max-p99 takes the same values\)/],
    ['{ "load": { "probe": "sometimes" } }', /--config: \S+gate\.json \/load\/probe: "sometimes" is not a probe plan/],
    ['{ "thresholds": { "maxP99s": "50ms" } }', /gate\.json does not fit the gate config schema: \/thresholds\/maxP99s is not a known property/],
    ['{ "race": { "sync": "telepathy" } }', /\/race\/sync must be equal to one of the allowed values/],
    ['{ "load": { "connections": 0 } }', /\/load\/connections must be >= 1/],
    ['{ "thresholds": { "minThroughput": 100 ', /gate\.json line 1: .*see src\/gate\/gate\.example\.jsonc/],
  ])('a bad config file is refused with the file, the place and the rule: %s', async (text, message) => {
    const path = await configFile(text);
    const attempt = async () => resolveGateOptions({ config: path }, await loadGateConfig(path));
    await expect(attempt()).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(attempt()).rejects.toThrow(message);
  });

  it('a missing config file is a clear file error', async () => {
    await expect(loadGateConfig('/nonexistent/gate.json')).rejects.toThrow(/cannot read \/nonexistent\/gate\.json \(ENOENT\)/);
  });

  it.each([
    [{ maxErrorRate: '2' }, /--max-error-rate: "2" is not a fraction/],
    [{ minThroughput: 'lots' }, /--min-throughput: "lots" is not a rate/],
    [{ maxP99: '50' }, /--max-p99: "50" is not a duration; write a number with a unit/],
    [{ rate: 100, connections: 8 }, /--rate: cannot be combined with --connections/],
    [{ target: 'http://127.0.0.1:1', fault: ['race:tick'] }, /--fault: injects faults into the embedded reference service/],
  ])('bad flags are refused naming the option: %o', (input, message) => {
    expect(() => resolveGateOptions(input)).toThrow(message);
  });
});
