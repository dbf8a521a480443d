// fastify validates with Ajv's coerceTypes, which turns a JSON number into a string
// where the schema wants one. For amounts that would let a binary float through
// ("amount": 0.1 is parsed as 0.1000000000000000055…) and then look like a decimal
// string. This finds, before validation, the first place where a body carries a JSON
// number for a string field, so the request can be refused instead (PROTOCOL.md: money
// and quantities are decimal strings).
interface SchemaNode {
  type?: unknown;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: unknown;
  anyOf?: SchemaNode[];
}

function wantsOnlyString(schema: SchemaNode): boolean {
  if (schema.type === 'string') return true;
  return Array.isArray(schema.anyOf) && schema.anyOf.length > 0 && schema.anyOf.every((s) => s.type === 'string' || s.type === 'null');
}

export function numberWhereStringExpected(schema: unknown, value: unknown, path = 'body'): string | undefined {
  const node = (schema ?? {}) as SchemaNode;
  if (typeof value === 'number') return wantsOnlyString(node) ? path : undefined;
  if (Array.isArray(value)) {
    if (node.items === undefined) return undefined;
    for (const [i, item] of value.entries()) {
      const found = numberWhereStringExpected(node.items, item, `${path}/${i}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    const branches = node.anyOf ?? [node];
    for (const branch of branches) {
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        const childSchema = branch.properties?.[key] ?? (typeof branch.additionalProperties === 'object' ? branch.additionalProperties : undefined);
        if (childSchema === undefined) continue;
        const found = numberWhereStringExpected(childSchema, child, `${path}/${key}`);
        if (found !== undefined) return found;
      }
    }
  }
  return undefined;
}
