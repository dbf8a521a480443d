import { formatOf, normaliseElement } from '../../../protocol/rfid/normalise-element.ts';
import { closingBracket, isSpace, tryParse } from '../../../protocol/rfid/split-json-elements.ts';
import type { JsonObject, NormaliseContext, RfidNormalised } from '../../../protocol/rfid/types.ts';
import { learnReadLayout, type ReadLayout } from './read-layout.ts';

/**
 * The fast path of the RFID stage's decoder. Parsing every element with JSON.parse cost the
 * gateway more than the MQTT client's whole work per message; a read that matches a
 * learned layout (read-layout.ts) skips the parse and the values nobody uses. Elements
 * that match no layout (health events, a new firmware's shape, anything wrong) are cut
 * out by brackets and go the full way one by one, and a valid read among them teaches a
 * new layout. The result is the full path's (protocol's normaliseRfidPayload), element
 * for element; when the payload is not a plain object, list of objects or run of objects,
 * this path gives up and the caller parses the whole payload as before.
 */

/** A site's readers use a handful of shapes (one per vendor, firmware and reporting setup). */
export const MAX_READ_LAYOUTS = 16;
/** Learning costs a few element parses; this bounds it for payloads whose shapes never settle. */
const LEARNING_PER_PAYLOAD = 4;

export interface ReadLayoutStats {
  layouts: number;
  /** Elements taken by a layout, parsed the full way, and layouts learned, since the decoder was made. */
  matched: number;
  parsed: number;
  learned: number;
}

export interface ReadLayouts {
  /**
   * The payload's elements as normaliseRfidPayload would give them, or undefined when the
   * payload is not one object, one array of objects or objects one after another (the
   * caller then takes the full path for all of it).
   */
  normalise(text: string, ctx: NormaliseContext): RfidNormalised | undefined;
  stats(): ReadLayoutStats;
}

function skipSpace(text: string, pos: number): number {
  while (pos < text.length && isSpace(text.charCodeAt(pos))) pos++;
  return pos;
}

/** A layout is kept only when it turns its own element into the very read the full path made. */
function sameRead(layout: ReadLayout, slice: string, ctx: NormaliseContext, read: unknown): boolean {
  layout.regex.lastIndex = 0;
  const match = layout.regex.exec(slice);
  if (match === null) return false;
  const out = layout.format.normalise(layout.project(match), ctx);
  const expected = JSON.stringify(read);
  if (out.kind !== 'read' || JSON.stringify(out.read) !== expected) return false;
  // The shortcut is held to the same standard; when it is not sure, normalise answers.
  const direct = layout.read(match, ctx);
  return direct === undefined || JSON.stringify(direct) === expected;
}

interface Walk {
  learning: number;
}

/** The layouts one decoder learned (most recently matched first) and its counts; nothing is shared between decoders. */
export function createReadLayouts(): ReadLayouts {
  const layouts: ReadLayout[] = [];
  const counts = { matched: 0, parsed: 0, learned: 0 };

  function remember(layout: ReadLayout): void {
    if (layouts.length >= MAX_READ_LAYOUTS) layouts.pop();
    layouts.unshift(layout);
    counts.learned += 1;
  }

  /** The element at `pos` as a read by a known layout: the position after it, or -1. */
  function matchRead(text: string, pos: number, ctx: NormaliseContext, result: RfidNormalised): number {
    for (let i = 0; i < layouts.length; i++) {
      const layout = layouts[i] as ReadLayout;
      layout.regex.lastIndex = pos;
      const match = layout.regex.exec(text);
      if (match === null) continue;
      let read = layout.read(match, ctx);
      if (read === undefined) {
        const out = layout.format.normalise(layout.project(match), ctx);
        // Anything but a good read (a bad value, a Zebra error report in a read's shape) is said by the full path.
        if (out.kind !== 'read') return -1;
        read = out.read;
      }
      result.reads.push(read);
      if (i > 0) {
        layouts.splice(i, 1);
        layouts.unshift(layout);
      }
      counts.matched += 1;
      return layout.regex.lastIndex;
    }
    return -1;
  }

  /** The element at `pos` the full way: the position after it, or -1 when it is not valid JSON. */
  function parseOne(text: string, pos: number, index: number, ctx: NormaliseContext, result: RfidNormalised, walk: Walk): number {
    const end = closingBracket(text, pos);
    if (end >= text.length) return -1;
    const slice = text.slice(pos, end + 1);
    const parsed = tryParse(slice);
    if (!parsed.ok) return -1;
    counts.parsed += 1;
    const out = normaliseElement(parsed.value, index, ctx, result);
    if (out.kind === 'read' && walk.learning > 0) {
      walk.learning -= 1;
      const element = parsed.value as JsonObject;
      // The format normaliseElement just made a read with.
      const format = formatOf(element);
      const layout = format && learnReadLayout(element, slice, format);
      if (layout !== undefined && sameRead(layout, slice, ctx, out.read)) remember(layout);
    }
    return end + 1;
  }

  function normalise(text: string, ctx: NormaliseContext): RfidNormalised | undefined {
    const result: RfidNormalised = { reads: [], health: [], errors: [] };
    const walk: Walk = { learning: LEARNING_PER_PAYLOAD };
    let pos = skipSpace(text, 0);
    const inArray = text.charCodeAt(pos) === 0x5b;
    if (inArray) pos = skipSpace(text, pos + 1);
    for (let index = 0; ; index++) {
      if (text.charCodeAt(pos) !== 0x7b) return undefined;
      let next = matchRead(text, pos, ctx, result);
      if (next < 0) next = parseOne(text, pos, index, ctx, result, walk);
      if (next < 0) return undefined;
      pos = skipSpace(text, next);
      if (!inArray) {
        if (pos === text.length) return result;
        continue;
      }
      const c = text.charCodeAt(pos);
      if (c === 0x2c) {
        pos = skipSpace(text, pos + 1);
        continue;
      }
      if (c !== 0x5d) return undefined;
      return skipSpace(text, pos + 1) === text.length ? result : undefined;
    }
  }

  return { normalise, stats: () => ({ layouts: layouts.length, ...counts }) };
}
