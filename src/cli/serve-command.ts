// `stampede serve`: runs the reference service in the foreground until Ctrl-C, then prints its one-line summary.

import { randomUUID } from 'node:crypto';
import { ExitCode } from '../errors.ts';
import { describeFaults } from '../service/faults.ts';
import { startService, type RunningService } from '../service/start-service.ts';
import { formatStats } from '../service/stats.ts';
import type { Output } from './output.ts';
import type { ServeArguments } from './program.ts';

export async function runServe(args: ServeArguments, output: Output): Promise<number> {
  const service = await startService({
    host: args.host,
    port: args.port,
    faults: args.fault,
    seed: args.seed,
    maxBody: args.maxBody,
    keepPayloads: args.keepPayloads,
    headerTimeout: args.headerTimeout,
    requestTimeout: args.requestTimeout,
    ...(args.tlsCert !== undefined ? { tlsCert: args.tlsCert } : {}),
    ...(args.tlsKey !== undefined ? { tlsKey: args.tlsKey } : {}),
    ...(args.http2 ? { http2: true } : {}),
    ...(args.tls ? { tls: true } : {}),
  });
  output.out(banner(service));
  const signal = await nextSignal();
  await service.close();
  output.out(`stampede serve stopped (${signal}): ${formatStats(service.stats())}\n`);
  // Stopping is how a server's run ends, not an interruption of a measurement: exit 0 (npm start stays quiet too).
  return ExitCode.pass;
}

function banner(service: RunningService): string {
  const { options } = service;
  const body = JSON.stringify({ userProfileId: randomUUID(), countryCode: 'US' });
  return [
    `stampede reference service listening on ${service.url}`,
    `  POST ${service.url}/user-profiles · faults: ${describeFaults(options.faultSpecs)} · seed ${options.seed} · max body ${options.maxBodyBytes} bytes`,
    ...(service.selfSignedFingerprint ? [`  TLS: a self-signed certificate generated for this run, SHA-256 ${service.selfSignedFingerprint} (clients need --insecure / curl -k)`] : []),
    '',
    'Register a profile (run it twice: 201 Created, then 409 Conflict):',
    `  curl -i${curlFlags(options)} -X POST ${service.url}/user-profiles -H 'Content-Type: application/json' -d '${body}'`,
    '',
    'A full example body: npx stampede contract --format example. Stop with Ctrl-C.',
    '',
  ].join('\n');
}

/**
 * curl's flags for the protocol served: -k for TLS (a certificate given on the command line is usually self-signed),
 * --http2 (ALPN h2) over TLS, --http2-prior-knowledge for h2c (curl would otherwise speak HTTP/1.1 or try Upgrade).
 */
function curlFlags(options: RunningService['options']): string {
  if (options.http2) return options.tls ? ' -k --http2' : ' --http2-prior-knowledge';
  return options.tls ? ' -k' : '';
}

function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
