// Benchmark subject: the reference service with the race:tick fault, in its own process; RACE_HTTP2=1 serves h2c.
import { startService } from '../../src/service/start-service.ts';

const service = await startService({ port: 0, faults: ['race:tick'], http2: process.env.RACE_HTTP2 === '1' });
console.log(`LISTENING ${service.url}`);
