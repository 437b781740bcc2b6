// Where the reference service keeps registered profiles: an interface, and the default in-memory store.

/**
 * A profile store keyed by canonical ID. Synchronous on purpose: the atomicity of check-and-insert comes from
 * `insertIfAbsent` running to completion on the event loop, with no await inside.
 */
export interface ProfileStore {
  /** Atomically insert `id` unless present; true when inserted. */
  insertIfAbsent(id: string, payload?: string): boolean;
  has(id: string): boolean;
  /** Unconditional insert (used only by the race fault, whose whole point is a non-atomic check-then-insert). */
  insert(id: string, payload?: string): void;
  /** The stored body, when payloads are kept. */
  payload(id: string): string | undefined;
  readonly size: number;
}

/**
 * In-memory store. Without `keepPayloads` it holds only the canonical ID (a 36-character string per profile);
 * with it, the raw request body too.
 */
export class MemoryStore implements ProfileStore {
  private readonly ids = new Set<string>();
  private readonly payloads: Map<string, string> | undefined;

  constructor(options: { keepPayloads?: boolean } = {}) {
    this.payloads = options.keepPayloads ? new Map() : undefined;
  }

  insertIfAbsent(id: string, payload?: string): boolean {
    if (this.ids.has(id)) return false;
    this.insert(id, payload);
    return true;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  insert(id: string, payload?: string): void {
    this.ids.add(id);
    if (this.payloads && payload !== undefined) this.payloads.set(id, payload);
  }

  payload(id: string): string | undefined {
    return this.payloads?.get(id);
  }

  get size(): number {
    return this.ids.size;
  }
}
