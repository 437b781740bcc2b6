// Shared state of the k6 stand-ins (tests only): what the scripts sent, recorded, checked and slept, and the scripted answers.
//
// It lives on globalThis so that the stand-in modules, re-imported with every fresh scenario (vi.resetModules), and
// the test that drives them see the same recorder.

/** What a scripted answer may say; status 0 means no answer (k6's error_code then tells why). */
export interface ScriptedResponse {
  status: number;
  /** k6's error code when status is 0: 1050 timeout, 1212 refused, 1220 reset, … */
  errorCode?: number;
  body?: string;
  durationMs?: number; // ms
}

export interface RecordedRequest {
  method: string;
  url: string;
  body: string;
  headers: Record<string, string>;
  tags: Record<string, string>;
  /** exec.vu.metrics.metadata as it was when the request left. */
  metadata: Record<string, string>;
  /** Date.now() when the request left (the stand-ins fake Date). */
  sentAt: number; // epoch ms
  /** Which VU sent it. */
  vu: number;
  response: ScriptedResponse;
}

export interface Sample {
  metric: string;
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  value: number;
  tags: Record<string, string>;
  metadata: Record<string, string>;
}

export type Responder = (request: Omit<RecordedRequest, 'response'>) => ScriptedResponse;

/** k6's expectedStatuses(…) result: statuses or ranges counted as expected (http_req_failed = false). */
export interface ExpectedStatuses {
  expected: Array<number | { min: number; max: number }>;
}

export interface ExecState {
  vu: {
    idInTest: number;
    idInInstance: number;
    iterationInScenario: number;
    iterationInInstance: number;
    metrics: { tags: Record<string, string>; metadata: Record<string, string> };
    tags: Record<string, string>;
  };
  scenario: { name: string; executor: string; startTime: number; progress: number; iterationInTest: number; iterationInInstance: number };
  instance: { iterationsInterrupted: number; iterationsCompleted: number; vusActive: number; vusInitialized: number; currentTestRunDuration: number };
  test: { options: Record<string, unknown>; abort(reason?: string): never; fail(reason?: string): void };
}

export interface StandInState {
  requests: RecordedRequest[];
  samples: Sample[];
  checks: Array<{ name: string; passed: boolean; tags: Record<string, string> }>;
  /** Seconds each sleep() asked for. */
  sleeps: number[];
  logs: string[];
  responder: Responder;
  responseCallback: ExpectedStatuses | undefined;
  exec: ExecState;
  /** Moves the (fake) clock forward: sleep() calls it. */
  advanceClock(ms: number): void;
}

declare global {
  var __k6StandIn: StandInState | undefined;
}

/** A fresh state (the harness installs it before importing a scenario). */
export function createState(responder: Responder, advanceClock: (ms: number) => void): StandInState {
  return {
    requests: [],
    samples: [],
    checks: [],
    sleeps: [],
    logs: [],
    responder,
    responseCallback: undefined,
    advanceClock,
    exec: {
      vu: { idInTest: 0, idInInstance: 0, iterationInScenario: 0, iterationInInstance: 0, metrics: { tags: {}, metadata: {} }, tags: {} },
      scenario: { name: 'default', executor: 'per-vu-iterations', startTime: Date.now(), progress: 0, iterationInTest: 0, iterationInInstance: 0 },
      instance: { iterationsInterrupted: 0, iterationsCompleted: 0, vusActive: 0, vusInitialized: 0, currentTestRunDuration: 0 },
      test: {
        options: {},
        abort(reason) {
          throw new Error(`test aborted: ${reason ?? ''}`);
        },
        fail() {},
      },
    },
  };
}

/** The current state; the stand-ins fail loudly when a test forgot to install one. */
export function standIn(): StandInState {
  const state = globalThis.__k6StandIn;
  if (state === undefined) throw new Error('k6 stand-ins: no state installed (use loadScenario from stand-ins/harness.ts)');
  return state;
}

/** Record one metric sample, tagged like k6 does (the VU's tags, then the call's), with the VU's metadata. */
export function emit(metric: string, type: Sample['type'], value: number, tags: Record<string, string> = {}): void {
  const state = standIn();
  state.samples.push({
    metric,
    type,
    value,
    tags: { scenario: state.exec.scenario.name, ...state.exec.vu.metrics.tags, ...tags },
    metadata: { ...state.exec.vu.metrics.metadata },
  });
}
