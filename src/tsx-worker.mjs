// Worker-thread bootstrap when stampede runs from TypeScript source: registers tsx (workers do not inherit the main
// thread's loader on Node 20), then imports the module whose URL is the worker's last argument (see worker-script.ts).
import { register } from 'tsx/esm/api';

register();
await import(process.argv.at(-1));
