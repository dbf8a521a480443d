import { randomUUID } from 'node:crypto';

export type JsonSchema = Record<string, unknown>;

const CANDIDATES = ['1', '10', 'copper', 'LOT-X9', 'A', 'ABC', 'USD', 'x', 'aa', 'note', '2026-01-01', '2026-01', '0'.repeat(64), '3074257BF7194E4000001A85'];

function pickString(schema: JsonSchema): string {
  const format = schema.format;
  if (format === 'date-time') return new Date(Date.now() + 86_400_000).toISOString();
  if (format === 'date') return '2026-01-01';
  if (format === 'uuid') return randomUUID();
  if (format === 'email') return 'someone@example.test';
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  const pattern = typeof schema.pattern === 'string' ? new RegExp(schema.pattern) : undefined;
  const fits = (s: string) => s.length >= min && s.length <= max && (pattern === undefined || pattern.test(s));
  return CANDIDATES.find(fits) ?? [randomUUID(), 'x'.repeat(Math.max(min, 1))].find(fits) ?? 'x'.repeat(Math.max(min, 1));
}

/**
 * A value that satisfies a JSON schema as fastify validates it (required properties,
 * formats, patterns, lengths, bounds), so a request passes validation and reaches the
 * route's own checks. Schemas come from the app's OpenAPI document.
 */
export function exampleFor(schema: JsonSchema | undefined, components: Record<string, JsonSchema>, depth = 0): unknown {
  if (schema === undefined || depth > 12) return {};
  if (typeof schema.$ref === 'string') return exampleFor(components[schema.$ref.split('/').pop() ?? ''], components, depth + 1);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum.find((v) => v !== null);
  if ('default' in schema && schema.default !== undefined) return schema.default;
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      const chosen = (options as JsonSchema[]).find((o) => o.type !== 'null') ?? options[0];
      return exampleFor(chosen as JsonSchema, components, depth + 1);
    }
  }
  if (Array.isArray(schema.allOf)) return Object.assign({}, ...(schema.allOf as JsonSchema[]).map((s) => exampleFor(s, components, depth + 1)));
  const type = Array.isArray(schema.type) ? (schema.type as string[]).find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'string':
      return pickString(schema);
    case 'integer':
    case 'number': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : 1;
      return typeof schema.maximum === 'number' ? Math.min(Math.max(min, 1), schema.maximum) : Math.max(min, 1);
    }
    case 'boolean':
      return false;
    case 'array': {
      const count = typeof schema.minItems === 'number' ? schema.minItems : 0;
      return Array.from({ length: count }, () => exampleFor(schema.items as JsonSchema, components, depth + 1));
    }
    case 'object':
    default: {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const required = new Set((schema.required ?? []) as string[]);
      const wanted = typeof schema.minProperties === 'number' ? schema.minProperties : 0;
      const keys = Object.keys(properties).filter((k, i) => required.has(k) || i < wanted);
      return Object.fromEntries(keys.map((k) => [k, exampleFor(properties[k], components, depth + 1)]));
    }
  }
}

/** Replaces, anywhere in a value, the fields named in `values`; returns whether any was. */
export function substitute(value: unknown, values: Record<string, unknown>): { value: unknown; replaced: boolean } {
  if (Array.isArray(value)) {
    const parts = value.map((v) => substitute(v, values));
    return { value: parts.map((p) => p.value), replaced: parts.some((p) => p.replaced) };
  }
  if (value === null || typeof value !== 'object') return { value, replaced: false };
  let replaced = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k in values) {
      out[k] = values[k];
      replaced = true;
    } else {
      const inner = substitute(v, values);
      out[k] = inner.value;
      replaced ||= inner.replaced;
    }
  }
  return { value: out, replaced };
}
