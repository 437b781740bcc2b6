import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi.ts';
import { PROBLEM_TYPES } from './problems.ts';
import { userProfileSchema } from './user-profile-schema.ts';

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(openApiDocument() as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('references the one contract schema object, not a copy', () => {
    const doc = openApiDocument();
    expect(doc.components.schemas.UserProfileRegistration).toBe(userProfileSchema);
    expect(doc.paths['/user-profiles'].post.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/UserProfileRegistration');
  });

  it('documents 201, 400, 405, 409, 413 and 415, errors as application/problem+json, and Allow on 405', () => {
    const responses = openApiDocument().paths['/user-profiles'].post.responses as Record<string, any>;
    expect(Object.keys(responses).sort()).toEqual(['201', '400', '405', '409', '413', '415']);
    for (const status of ['400', '405', '409', '413', '415']) {
      expect(Object.keys(responses[status].content)).toEqual(['application/problem+json']);
      for (const example of Object.values<any>(responses[status].content['application/problem+json'].examples)) {
        expect(String(example.value.status)).toBe(status);
      }
    }
    expect(responses['405'].headers.Allow.schema.const).toBe('POST');
    expect(new Set(Object.values(PROBLEM_TYPES).map((p) => p.type)).size).toBe(Object.keys(PROBLEM_TYPES).length);
  });
});
