// Canonical form of a user profile ID, so that every part of stampede compares IDs the way a correct server must.

/** A UUID in its textual 8-4-4-4-12 form, either case (RFC 9562 §4: hex digits are case-insensitive on input). */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/**
 * The canonical form of an ID: lower case. `C908BC7C-…` and `c908bc7c-…` name the same profile.
 * Only call on IDs that passed the schema (so the input is ASCII and the result is exactly 36 characters).
 */
export function canonicalId(id: string): string {
  return id.toLowerCase();
}
