import fp from 'fastify-plugin';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { badRequest } from '../errors.ts';

/** Deeper JSON than this is refused; the deepest legitimate input (event evidence) is a handful of levels. */
export const MAX_INPUT_DEPTH = 32;

/**
 * Why a value may not enter the system, or undefined. Strings must be well-formed UTF-16
 * (no lone surrogates: PostgreSQL cannot store them) without NUL (text and jsonb refuse
 * it); nesting is bounded. Iterative, so a 20,000-deep document cannot exhaust the stack.
 */
export function inputProblem(value: unknown, where: string): string | undefined {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: where, depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop() as { value: unknown; path: string; depth: number };
    if (typeof item.value === 'string') {
      const problem = stringProblem(item.value);
      if (problem !== undefined) return `${item.path} ${problem}`;
      continue;
    }
    // Raw bytes (an attachment's body) hold no strings or nesting to check.
    if (typeof item.value !== 'object' || item.value === null || ArrayBuffer.isView(item.value)) continue;
    if (item.depth >= MAX_INPUT_DEPTH) return `${item.path} is nested deeper than ${MAX_INPUT_DEPTH} levels`;
    for (const [key, child] of Object.entries(item.value)) {
      const keyProblem = stringProblem(key);
      if (keyProblem !== undefined) return `a key in ${item.path} ${keyProblem}`;
      stack.push({ value: child, path: `${item.path}/${key.slice(0, 64)}`, depth: item.depth + 1 });
    }
  }
  return undefined;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function stringProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(text)) return 'contains a lone surrogate (not valid Unicode)';
  return undefined;
}

/**
 * One check for every route, before its schema: whatever the schema allows, no string
 * with NUL or a lone surrogate and no runaway nesting reaches a handler or the database.
 * Answered 400 with the API's error shape.
 */
const plugin: FastifyPluginAsync = async (fastify) => {
  fastify.addHook('preValidation', async (request: FastifyRequest) => {
    const problem = inputProblem(request.params, 'params') ?? inputProblem(request.query, 'querystring') ?? inputProblem(request.body, 'body');
    if (problem !== undefined) throw badRequest(problem);
  });
};

export const inputGuardPlugin = fp(plugin, { name: 'input-guard' });
