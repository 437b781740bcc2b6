// Stand-in for `k6/execution` (tests only): the exec object the harness sets per iteration (VU, iteration, scenario).

import { standIn, type ExecState } from './state.ts';

// Read through the state on every access: the harness installs a fresh state per scenario load.
const exec: ExecState = {
  get vu() {
    return standIn().exec.vu;
  },
  get scenario() {
    return standIn().exec.scenario;
  },
  get instance() {
    return standIn().exec.instance;
  },
  get test() {
    return standIn().exec.test;
  },
};

export default exec;
