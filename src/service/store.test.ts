// The store keeps canonical IDs only, unless payloads are asked for; a custom store can replace it.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { specExample } from '../contract/example.ts';
import { postJson } from '../testing/http-client.ts';
import { useServices } from '../testing/services.ts';
import { MemoryStore } from './store.ts';

const startService = useServices();

describe('profile store', () => {
  it('keeps the canonical (lower-case) ID and no payload by default', async () => {
    const store = new MemoryStore();
    const service = await startService({ store });
    const id = randomUUID().toUpperCase();
    expect((await postJson(service.url, specExample(id))).status).toBe(201);
    expect(store.has(id.toLowerCase())).toBe(true);
    expect(store.has(id)).toBe(false);
    expect(store.payload(id.toLowerCase())).toBeUndefined();
  });

  it('with keepPayloads, keeps the exact body', async () => {
    const store = new MemoryStore({ keepPayloads: true });
    const service = await startService({ store, keepPayloads: true });
    const id = randomUUID();
    const body = JSON.stringify(specExample(id));
    expect((await postJson(service.url, body)).status).toBe(201);
    expect(store.payload(id)).toBe(body);
    expect(service.stats().profiles).toBe(1);
  });

  it('insertIfAbsent is the atomic primitive: true once, then false', () => {
    const store = new MemoryStore();
    expect(store.insertIfAbsent('a')).toBe(true);
    expect(store.insertIfAbsent('a')).toBe(false);
    expect(store.size).toBe(1);
  });
});
