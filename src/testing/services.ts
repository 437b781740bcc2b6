// Test helper: reference services started by a test file on loopback (port 0), each closed after its test.
import { afterEach } from 'vitest';
import type { ServiceOptionsInput } from '../options/service-options.ts';
import { startService, type RunningService } from '../service/start-service.ts';

/** Call once at the top of a test file; returns `start(options)`, whose services are closed after each test. */
export function useServices(): (options?: ServiceOptionsInput) => Promise<RunningService> {
  const running: RunningService[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((service) => service.close(0)));
  });
  return async (options = {}) => {
    const service = await startService(options);
    running.push(service);
    return service;
  };
}
