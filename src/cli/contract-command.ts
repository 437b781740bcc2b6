// `stampede contract`: prints the request schema, the OpenAPI document or an example body, as JSON.

import { specExample } from '../contract/example.ts';
import { openApiDocument } from '../contract/openapi.ts';
import { userProfileSchema } from '../contract/user-profile-schema.ts';
import { ExitCode } from '../errors.ts';
import type { Output } from './output.ts';

export function runContract(options: { format: string }, output: Output): number {
  const document =
    options.format === 'schema' ? userProfileSchema : options.format === 'example' ? specExample() : openApiDocument();
  output.out(`${JSON.stringify(document, null, 2)}\n`);
  return ExitCode.pass;
}
