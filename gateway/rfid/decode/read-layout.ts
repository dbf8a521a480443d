import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { JsonObject, NormaliseContext, RfidFormat, RfidRead } from '../../../protocol/rfid/types.ts';

/**
 * A reader writes every tag read of a session with the same keys in the same order; only
 * the values change. A layout is that shape, learned from one read that the full path
 * (JSON.parse, schema check, normalise) accepted, as a sticky regular expression over the
 * element's text. A later element that matches it is handed to the format's `normalise`
 * as a projection holding only the values that matter: the fields a read is made of and
 * every value the schema constrains beyond its JSON type (a pattern, a minimum, an enum).
 * The other values are only checked to be of the JSON type the schema wants, by the
 * expression itself, which is why the projection passes the schema exactly when the
 * whole element would.
 *
 * Whatever the expression cannot say exactly (escapes in a string, arrays, keys JSON.parse
 * reorders, whitespace) makes the learned layout fail its own element, and it is dropped.
 */
export interface ReadLayout {
  readonly format: RfidFormat;
  /** Sticky; matches one element starting at `lastIndex`. */
  readonly regex: RegExp;
  project(match: RegExpExecArray): JsonObject;
  /**
   * The read `format.normalise(project(match))` would make, without building the projection
   * or running the whole schema check; undefined when not sure (then ask normalise).
   */
  read(match: RegExpExecArray, ctx: NormaliseContext): RfidRead | undefined;
}

/** A JSON string without escapes or control characters: its text between the quotes is its value. */
const STRING = String.raw`"([^"\\\u0000-\u001f]*)"`;
const STRING_SKIP = String.raw`"[^"\\\u0000-\u001f]*"`;
/**
 * Numbers the expression can vouch for without reading them: no exponent and at most 15
 * integer digits, so never Infinity (which Type.Number refuses) and integers stay safe.
 * Anything else a reader writes takes the full path.
 */
const INTEGER = String.raw`-?(?:0|[1-9]\d{0,14})`;
const NUMBER_SKIP = String.raw`-?(?:0|[1-9]\d{0,14})(?:\.\d+)?`;
/** Captured numbers are checked by the schema on their value, so any JSON number will do. */
const NUMBER = String.raw`-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?`;

/** Schema keywords that say nothing a JSON type does not already say. */
const ANNOTATIONS = new Set(['type', 'description', 'title', '$id', 'examples', 'default', '~kind', '~optional', '~readonly']);
/** Object schema keywords a layout knows how to honour. */
const OBJECT_KEYWORDS = new Set([...ANNOTATIONS, 'properties', 'required', 'additionalProperties']);

type Schema = Record<string, unknown>;

type Node =
  | {
      readonly kind: 'value';
      readonly key: string;
      readonly path: string;
      readonly schema: Schema | true;
      readonly group: number;
      readonly type: 'string' | 'number' | 'boolean' | 'null';
    }
  | { readonly kind: 'object'; readonly key: string; readonly children: readonly Node[] };

class NotLearnable extends Error {}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The schema a member of an object with this schema is checked against; `true` for anything goes. */
function memberSchema(parent: Schema | true, key: string): Schema | true {
  if (parent === true) return true;
  const properties = parent['properties'];
  if (isPlainObject(properties) && Object.hasOwn(properties, key)) {
    const s = properties[key];
    if (isPlainObject(s)) return s;
    throw new NotLearnable();
  }
  const additional = parent['additionalProperties'];
  if (additional === undefined || additional === true) return true;
  if (isPlainObject(additional)) return additional;
  throw new NotLearnable();
}

/** Only the JSON type matters (or nothing does): the expression can check it alone. */
function typeOnly(schema: Schema | true): boolean {
  return schema === true || Object.keys(schema).every((k) => ANNOTATIONS.has(k));
}

function jsonType(value: unknown): 'string' | 'number' | 'boolean' | 'null' {
  if (value === null) return 'null';
  const t = typeof value;
  if (t === 'string' || t === 'number' || t === 'boolean') return t;
  throw new NotLearnable();
}

/** The expression for a value nobody reads whose schema asks only for a JSON type. */
function skipPattern(schema: Schema | true, value: unknown): string {
  const type = schema === true ? undefined : schema['type'];
  const json = jsonType(value);
  if (type === undefined) {
    // Anything goes; still one value of the type seen, so the layout stays one shape.
    if (json === 'string') return STRING_SKIP;
    if (json === 'number') return NUMBER_SKIP;
    return json === 'null' ? 'null' : '(?:true|false)';
  }
  if (type === 'string' && json === 'string') return STRING_SKIP;
  if (type === 'integer' && json === 'number') return INTEGER;
  if (type === 'number' && json === 'number') return NUMBER_SKIP;
  if (type === 'boolean' && json === 'boolean') return '(?:true|false)';
  if (type === 'null' && json === 'null') return 'null';
  throw new NotLearnable();
}

function capturePattern(type: 'string' | 'number' | 'boolean' | 'null'): string {
  if (type === 'string') return STRING;
  if (type === 'number') return `(${NUMBER})`;
  return type === 'boolean' ? '(true|false)' : '(null)';
}

interface Builder {
  groups: number;
  readonly fields: ReadonlySet<string>;
}

/** The expression for an object's text, and the nodes of its projection (`projected` false: skipped). */
function objectPattern(value: Record<string, unknown>, schema: Schema | true, path: string, projected: boolean, b: Builder): { source: string; nodes: Node[] } {
  if (schema !== true && (schema['type'] !== 'object' || !Object.keys(schema).every((k) => OBJECT_KEYWORDS.has(k)))) throw new NotLearnable();
  const required = schema !== true && Array.isArray(schema['required']) ? new Set(schema['required']) : new Set<unknown>();
  const members: string[] = [];
  const nodes: Node[] = [];
  for (const [key, member] of Object.entries(value)) {
    // `__proto__` would set the projection's prototype instead of a member.
    if (/["\\\u0000-\u001f]/.test(key) || key === '__proto__') throw new NotLearnable();
    const sub = memberSchema(schema, key);
    const memberPath = path === '' ? key : `${path}.${key}`;
    let pattern: string;
    if (Array.isArray(member)) throw new NotLearnable();
    if (isPlainObject(member)) {
      // Objects the schema declares are kept (formats test their presence); unknown ones are only skipped.
      const keep = projected && sub !== true;
      const inner = objectPattern(member, sub, memberPath, keep, b);
      pattern = inner.source;
      if (keep) nodes.push({ kind: 'object', key, children: inner.nodes });
    } else if (projected && (b.fields.has(memberPath) || required.has(key) || !typeOnly(sub))) {
      const type = jsonType(member);
      b.groups += 1;
      pattern = capturePattern(type);
      nodes.push({ kind: 'value', key, path: memberPath, schema: sub, group: b.groups, type });
    } else {
      pattern = skipPattern(sub, member);
    }
    members.push(`"${escapeRegex(key)}":${pattern}`);
  }
  return { source: `\\{${members.join(',')}\\}`, nodes };
}

type ValueNode = Extract<Node, { kind: 'value' }>;

/** The JSON value of a captured node as code over the match `m`; only group indices come from the layout. */
function valueCode(node: ValueNode): string {
  const text = `m[${node.group}]`;
  // For text in JSON's number grammar, Number() and JSON.parse give the same double.
  if (node.type === 'number') return `Number(${text})`;
  if (node.type === 'boolean') return `${text}==="true"`;
  return node.type === 'null' ? 'null' : text;
}

/** An object literal for the projection: one shape for every match, which V8 builds fastest. */
function literal(nodes: readonly Node[]): string {
  const members = nodes.map((node) => {
    // Keys are quoted by JSON.stringify, values only index the match: nothing from the payload becomes code.
    const key = JSON.stringify(node.key);
    if (node.kind === 'object') return `${key}:${literal(node.children)}`;
    return `${key}:${valueCode(node)}`;
  });
  return `{${members.join(',')}}`;
}

function valueNodes(nodes: readonly Node[], out: ValueNode[] = []): ValueNode[] {
  for (const node of nodes) {
    if (node.kind === 'object') valueNodes(node.children, out);
    else out.push(node);
  }
  return out;
}

type Reader = (match: RegExpExecArray, ctx: NormaliseContext) => RfidRead | undefined;

const notSure: Reader = () => undefined;

/**
 * The projection passes the schema exactly when every captured value passes its own member
 * schema: the expression fixes the keys (so required members are there and no unknown one
 * is) and the JSON type of every value it skips, and objects carry no keyword beyond
 * properties, required and additionalProperties (objectPattern). The format's `read`
 * checks the fields it reads; every other captured value is checked here by its compiled
 * member schema, before the format sees the fields in `fields` order.
 */
function reader(format: RfidFormat, nodes: readonly Node[]): Reader {
  const read = format.readShape.read;
  if (read === undefined) return notSure;
  const fields = format.readShape.fields;
  const values = valueNodes(nodes);
  const checks: ((value: unknown) => boolean)[] = [];
  const tests: string[] = [];
  for (const node of values) {
    if (fields.includes(node.path) || node.schema === true) continue;
    const validator = Compile(node.schema as unknown as TSchema);
    checks.push((value) => validator.Check(value));
    tests.push(`if(!c[${checks.length - 1}](${valueCode(node)}))return undefined;`);
  }
  const args = fields.map((field) => {
    const node = values.find((v) => v.path === field);
    return node === undefined ? 'undefined' : valueCode(node);
  });
  const make = new Function('c', 'r', `return function(m,ctx){${tests.join('')}return r(ctx,${args.join(',')});};`) as (
    c: readonly ((value: unknown) => boolean)[],
    r: typeof read,
  ) => Reader;
  return make(checks, read);
}

function projector(nodes: readonly Node[]): (match: RegExpExecArray) => JsonObject {
  return new Function('m', `return ${literal(nodes)};`) as (match: RegExpExecArray) => JsonObject;
}

/**
 * The layout of `element` (parsed from `text`, a read of `format`), or undefined when a
 * layout cannot describe it exactly. The caller still checks it against its own element.
 */
export function learnReadLayout(element: JsonObject, text: string, format: RfidFormat): ReadLayout | undefined {
  const builder: Builder = { groups: 0, fields: new Set(format.readShape.fields) };
  let shape: { source: string; nodes: Node[] };
  try {
    shape = objectPattern(element, format.readShape.schema as unknown as Schema, '', true, builder);
  } catch (err) {
    if (err instanceof NotLearnable) return undefined;
    throw err;
  }
  const regex = new RegExp(shape.source, 'y');
  regex.lastIndex = 0;
  const own = regex.exec(text);
  if (own === null || regex.lastIndex !== text.length) return undefined;
  return { format, regex, project: projector(shape.nodes), read: reader(format, shape.nodes) };
}
