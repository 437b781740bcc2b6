// Validation of the comparison options (stampede compare, and the gate's --baseline, --max-regression and --alpha).
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors.ts';
import { parseMaxRegression, resolveCompareOptions } from './compare-options.ts';
import { resolveGateOptions } from './gate-options.ts';

const message = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOptionError);
    return (error as Error).message;
  }
  throw new Error('expected an InvalidOptionError');
};

describe('--max-regression', () => {
  it('reads shares, durations and percentage points, from the flag or the config object', () => {
    expect(parseMaxRegression('--max-regression', 'p99=10%, throughput=5%,error-rate=0.1pp,p50=2ms,p99.9=50%')).toEqual([
      { figure: 'p99', text: '10%', kind: 'relative', value: 0.1 },
      { figure: 'throughput', text: '5%', kind: 'relative', value: 0.05 },
      { figure: 'error-rate', text: '0.1pp', kind: 'pp', value: 0.001 },
      { figure: 'p50', text: '2ms', kind: 'ms', value: 2 },
      { figure: 'p999', text: '50%', kind: 'relative', value: 0.5 },
    ]);
    expect(parseMaxRegression('--max-regression', { 'lag-p99': '500us' })).toEqual([{ figure: 'lag-p99', text: '500us', kind: 'ms', value: 0.5 }]);
  });

  it.each([
    ['p98=10%', '--max-regression: "p98" is not a figure; use throughput, p50, p90, p99, p999, error-rate, lag-p99'],
    ['p99', '--max-regression: "p99" is not FIGURE=LIMIT'],
    ['error-rate=1%', '--max-regression: error-rate=1%: the error rate takes percentage points (e.g. error-rate=0.1pp)'],
    ['throughput=20ms', '--max-regression: throughput=20ms is not a limit; throughput takes a share of the base (throughput=5%)'],
    ['p99=fast', '--max-regression: p99=fast is not a limit; latency p99 takes a share of the base (p99=10%) or a duration (p99=2ms)'],
    ['p99=1%,p99=2%', '--max-regression: p99 is limited twice'],
    [' , ', '--max-regression: give at least one FIGURE=LIMIT'],
  ])('%j exits 2 naming the option and the rule', (spec, expected) => {
    expect(message(() => parseMaxRegression('--max-regression', spec))).toContain(expected);
  });
});

describe('resolveCompareOptions', () => {
  it('splits each side on commas, takes the format from --format or the --out extension, defaults alpha to 0.05', () => {
    expect(resolveCompareOptions({ base: 'a.json, b.json', new: 'results/pr/', out: 'cmp.html' })).toEqual({ base: ['a.json', 'b.json'], new: ['results/pr/'], format: 'html', out: 'cmp.html', alpha: 0.05, limits: [] });
    expect(resolveCompareOptions({ base: 'a', new: 'b', format: 'junit', alpha: '0.01' })).toMatchObject({ format: 'junit', alpha: 0.01, out: undefined });
    expect(resolveCompareOptions({ base: 'a', new: 'b' }).format).toBe('markdown');
  });

  it.each([
    [{ alpha: '0' }, '--alpha: "0" is not a significance level'],
    [{ alpha: '0.9' }, '--alpha: "0.9" is not a significance level'],
    [{ format: 'pdf' }, '--format: "pdf" is not a comparison format'],
    [{ base: ',' }, 'BASE: give a result.json'],
  ])('%j exits 2 naming the option', (patch, expected) => {
    expect(message(() => resolveCompareOptions({ base: 'a', new: 'b', ...patch }))).toContain(expected);
  });
});

describe('the gate: --baseline, --race-baseline, --max-regression, --alpha', () => {
  it('--baseline FILE (repeatable) with limits and alpha; without --max-regression the default limits', () => {
    const options = resolveGateOptions({ baseline: ['main/result.json', 'main2/result.json'], maxRegression: 'p99=10%', alpha: '0.01' });
    expect(options.regression).toEqual({ baseline: ['main/result.json', 'main2/result.json'], limits: [{ figure: 'p99', text: '10%', kind: 'relative', value: 0.1 }], maxRegression: 'p99=10%', alpha: 0.01 });
    expect(resolveGateOptions({ baseline: ['main/result.json'] }).regression?.maxRegression).toBe('p99=10%,throughput=10%,error-rate=0.1pp');
    expect(resolveGateOptions({}).regression).toBeUndefined();
  });

  it('a whole number given to --baseline keeps its older meaning, the race phase\'s naive bursts (--race-baseline)', () => {
    const options = resolveGateOptions({ baseline: ['0'] });
    expect(options.race?.baselineBursts).toBe(0);
    expect(options.regression).toBeUndefined();
    expect(resolveGateOptions({ baseline: 3 }).race?.baselineBursts).toBe(3);
    expect(resolveGateOptions({ raceBaseline: '4', baseline: ['main.json'] })).toMatchObject({ race: { baselineBursts: 4 }, regression: { baseline: ['main.json'] } });
  });

  it('the config file\'s regression section, flags winning over it; its errors are placed in the file', () => {
    const config = { regression: { baseline: 'base/result.json', maxRegression: { p99: '5%', 'error-rate': '0.2pp' }, alpha: 0.1 } };
    expect(resolveGateOptions({ config: 'gate.json' }, config).regression).toEqual({
      baseline: ['base/result.json'],
      limits: [
        { figure: 'p99', text: '5%', kind: 'relative', value: 0.05 },
        { figure: 'error-rate', text: '0.2pp', kind: 'pp', value: 0.002 },
      ],
      maxRegression: 'p99=5%,error-rate=0.2pp',
      alpha: 0.1,
    });
    expect(resolveGateOptions({ config: 'gate.json', baseline: ['other.json'], maxRegression: 'p50=1ms' }, config).regression).toMatchObject({ baseline: ['other.json'], maxRegression: 'p50=1ms', alpha: 0.1 });
    expect(message(() => resolveGateOptions({ config: 'gate.json' }, { regression: { baseline: 'b.json', maxRegression: 'p99=x' } }))).toContain('--config: gate.json /regression/maxRegression: p99=x is not a limit');
  });

  it('--max-regression or --alpha without a baseline exits 2 saying what is missing', () => {
    expect(message(() => resolveGateOptions({ maxRegression: 'p99=10%' }))).toContain('--max-regression: judges a comparison with a baseline: give --baseline FILE too');
    expect(message(() => resolveGateOptions({ alpha: '0.01' }))).toContain('--alpha: is the significance level of the comparison with a baseline');
  });
});

describe('the gate config example', () => {
  it("its regression section fits the schema and reaches the options", async () => {
    const { loadGateConfig } = await import('./gate-options.ts');
    const example = new URL('../gate/gate.example.jsonc', import.meta.url).pathname;
    const options = resolveGateOptions({}, await loadGateConfig(example));
    expect(options.regression).toEqual({
      baseline: ['baseline/result.json'],
      limits: [
        { figure: 'p99', text: '10%', kind: 'relative', value: 0.1 },
        { figure: 'throughput', text: '5%', kind: 'relative', value: 0.05 },
        { figure: 'error-rate', text: '0.1pp', kind: 'pp', value: 0.001 },
      ],
      maxRegression: 'p99=10%,throughput=5%,error-rate=0.1pp',
      alpha: 0.05,
    });
  });
});
