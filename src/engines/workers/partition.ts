// Which --workers thread owns an ID: every attempt of one ID (first, planned duplicates, other-case spellings) goes
// through the same worker, so duplicates still race as planned and each worker's ledger sees whole IDs.

/** A worker's share of the run: worker `index` of `of`. */
export interface Share {
  index: number;
  of: number;
}

/**
 * The owner of a canonical (lower-case) ID among `workers`: FNV-1a over its characters, so the split is even and the
 * same on every run (the same seed sends each ID through the same worker).
 */
export function ownerOf(canonicalId: string, workers: number): number {
  if (workers <= 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < canonicalId.length; i++) {
    hash ^= canonicalId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % workers;
}
