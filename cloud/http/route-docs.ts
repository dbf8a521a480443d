import type { TSchema } from 'typebox';
import { errorResponses } from './error-response.ts';

/** The OpenAPI security requirement of a route behind a user's bearer token (JWT). */
export const BEARER_SECURITY = [{ bearerAuth: [] }];

interface RouteParts {
  description?: string;
  consumes?: readonly string[];
  params?: TSchema;
  querystring?: TSchema;
  body?: TSchema;
  response: Record<number, unknown>;
}

/**
 * The schema every route behind a user's bearer token repeats, for one plugin's `tags`:
 * `docs(summary, parts, errors)` adds the tags, the bearer security requirement and the
 * error replies, 401 always (the token may be missing, expired or its user disabled).
 */
export function bearerRouteDocs(tags: readonly string[]) {
  return <P extends RouteParts>(summary: string, parts: P, errors: readonly number[] = []) => ({
    tags: [...tags],
    summary,
    security: BEARER_SECURITY,
    ...parts,
    // Typed as the success replies only, as `{ 200: X, ...errorResponses(…) }` is: handlers
    // throw errors, they never return them.
    response: { ...parts.response, ...errorResponses(...errors, 401) } as P['response'],
  });
}
