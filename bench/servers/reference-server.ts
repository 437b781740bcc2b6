// Benchmark subject: the stampede reference service, in its own process.
import { startService } from '../../src/service/start-service.ts';

const service = await startService({ port: 0 });
console.log(`LISTENING ${service.url}`);
