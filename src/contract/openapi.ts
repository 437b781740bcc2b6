// The OpenAPI 3.1 document of POST /user-profiles, built around the one contract schema (not a copy of it).

import { specExample } from './example.ts';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES, type ProblemKind } from './problems.ts';
import { userProfileSchema } from './user-profile-schema.ts';

const problemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri-reference' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      description: 'For 400: where the body breaks the contract',
      items: {
        type: 'object',
        required: ['pointer', 'rule', 'detail'],
        properties: {
          pointer: { type: 'string', description: 'RFC 6901 JSON Pointer into the request body' },
          rule: { type: 'string', description: 'The JSON Schema keyword that failed' },
          detail: { type: 'string' },
        },
      },
    },
  },
} as const;

function problemResponse(description: string, kinds: ProblemKind[], headers?: Record<string, unknown>) {
  const examples = Object.fromEntries(
    kinds.map((kind) => {
      const { type, title, status } = PROBLEM_TYPES[kind];
      return [kind, { value: { type, title, status, detail: title } }];
    }),
  );
  return {
    description,
    ...(headers ? { headers } : {}),
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' }, examples } },
  };
}

export function openApiDocument(serverUrl = 'http://127.0.0.1:8080') {
  return {
    openapi: '3.1.0',
    info: {
      title: 'User profile registration',
      version: '1.0.0',
      description:
        'Registers a user profile under a caller-chosen ID; an error is returned if the ID already exists. ' +
        'IDs are compared case-insensitively (a UUID in upper case is the same profile as in lower case).',
    },
    servers: [{ url: serverUrl }],
    paths: {
      '/user-profiles': {
        post: {
          operationId: 'registerUserProfile',
          summary: 'Register a user profile using the given user profile ID',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/UserProfileRegistration' },
                example: specExample(),
              },
            },
          },
          responses: {
            '201': { description: 'Created; the body is empty' },
            '400': problemResponse('Malformed JSON, invalid UTF-8, or a body that breaks the schema', [
              'malformedJson',
              'invalidBody',
            ]),
            '405': problemResponse('Any method other than POST', ['methodNotAllowed'], {
              Allow: { description: 'Always POST', schema: { type: 'string', const: 'POST' } },
            }),
            '409': problemResponse('A profile with this ID (compared case-insensitively) already exists', ['duplicateId']),
            '413': problemResponse('Body over the size limit; the connection is closed', ['bodyTooLarge']),
            '415': problemResponse('Content-Type missing or not application/json', ['unsupportedMediaType']),
          },
        },
      },
    },
    components: {
      schemas: {
        UserProfileRegistration: userProfileSchema,
        Problem: problemSchema,
      },
    },
  };
}
