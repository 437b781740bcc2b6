// Benchmark competitor: the same route in Fastify, validating the body with the contract's compiled ajv validator.
import Fastify from 'fastify';
import { canonicalId } from '../../src/contract/canonical-id.ts';
import { userProfileSchema, type UserProfile } from '../../src/contract/user-profile-schema.ts';
import { isValidUserProfile } from '../../src/contract/validators.ts';

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
// Fastify's own validation step, fed with the contract's compiled validator (the one place schemas are compiled).
app.setValidatorCompiler(() => (data: unknown) => (isValidUserProfile(data) ? { value: data } : { error: new Error('invalid body') }));
const ids = new Set<string>();
app.post<{ Body: UserProfile }>('/user-profiles', { schema: { body: userProfileSchema } }, (request, reply) => {
  const id = canonicalId(request.body.userProfileId);
  if (ids.has(id)) {
    reply.code(409).type('application/problem+json').send({ type: 'urn:stampede:problem:duplicate-user-profile', title: 'User profile already exists', status: 409, detail: id });
    return;
  }
  ids.add(id);
  reply.code(201).send();
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`LISTENING ${url}`);
