// The public API of the generators: realistic payloads, the pooled path, duplicate streams, mutations, corpus files.

export { auditEvent, createProfileStream, profile, type AuditEventOptions, type ProfileOptions, type ProfileStream } from './profile.ts';
export type { EventCountDistribution, ProfileShape } from './session.ts';
export type { CountryWeighting } from './country-picker.ts';
export { PROFILE_ID_OFFSET, createPayloadPool, profileIdOf, type PayloadPool, type PoolOptions, type PooledPayload } from './pool.ts';
export {
  DUPLICATE_PATTERNS, createDuplicateStream, replaceAscii,
  type DuplicatePattern, type DuplicatePatternChoice, type DuplicateStream, type DuplicateStreamOptions, type StreamItem,
} from './duplicates.ts';
export { ID_VARIANTS, idVariant, type IdVariant } from './uuid.ts';
export { MUTATION_KINDS, SYNTAX_RULES, mutate, mutationCatalogue, type Mutation, type MutationCase, type MutationKind } from './mutations.ts';
export { bodyViolations } from './body-check.ts';
export { TRUTH_FORMAT, truthPathFor, writeCorpus, type CorpusOptions, type CorpusResult } from './corpus.ts';
export { parseLines, splitLines } from './ndjson.ts';
