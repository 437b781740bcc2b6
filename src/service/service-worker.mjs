// Worker-thread entry of the embedded reference service: registers tsx (workers do not inherit the main thread's
// loader on Node 20), then runs the TypeScript worker body.
import { register } from 'tsx/esm/api';

register();
await import('./service-worker-body.ts');
