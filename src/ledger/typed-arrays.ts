// Growing the typed arrays behind per-ID and per-request tables (the ledger, the k6 request table).

export type Typed = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/** A copy of `old` with room for `length` elements (same element type; the new tail is zero). */
export function resized<T extends Typed>(old: T, length: number): T {
  const next = new (old.constructor as new (n: number) => T)(length);
  next.set(old);
  return next;
}
