// Stand-in for `k6/metrics` (tests only): custom metrics record their samples (with the VU's tags and metadata).

import { emit, type Sample } from './state.ts';

abstract class Metric {
  readonly name: string;
  readonly isTime: boolean;
  protected abstract readonly type: Sample['type'];
  constructor(name: string, isTime = false) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]{0,127}$/.test(name)) throw new Error(`invalid metric name ${name}`);
    this.name = name;
    this.isTime = isTime;
  }
  add(value: number | boolean, tags?: Record<string, string>): void {
    emit(this.name, this.type, Number(value), tags);
  }
}

export class Counter extends Metric {
  protected readonly type = 'counter' as const;
}
export class Gauge extends Metric {
  protected readonly type = 'gauge' as const;
}
export class Rate extends Metric {
  protected readonly type = 'rate' as const;
}
export class Trend extends Metric {
  protected readonly type = 'trend' as const;
}

export default { Counter, Gauge, Rate, Trend };
