/**
 * Cuts a payload into JSON values the way RFID readers deliver them (PROTOCOL.md
 * "RFID payloads"): one value, a JSON array, newline-delimited JSON, or values simply
 * concatenated (`}{`). A bad value costs only itself: its error is kept and the values
 * around it are still returned.
 */

/** In payload order; an entry's position is the element number used in error messages. */
export type SplitEntry = { ok: true; value: unknown } | { ok: false; error: string };

interface Chunk {
  text: string;
}

export function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/**
 * Index of the bracket that closes the object or array opening at `start`, string-aware;
 * `text.length` when it never closes (a truncated value runs to the end).
 */
export function closingBracket(text: string, start: number): number {
  const n = text.length;
  let depth = 0;
  let inString = false;
  for (let j = start; j < n; j++) {
    const ch = text.charCodeAt(j);
    if (inString) {
      if (ch === 0x5c) j++;
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) depth++;
    else if (ch === 0x7d || ch === 0x5d) {
      depth--;
      if (depth === 0) return j;
    }
  }
  return n;
}

/** Top-level JSON texts by bracket depth, string-aware; stray text becomes its own chunk. */
function scanChunks(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      const j = closingBracket(text, i);
      chunks.push({ text: text.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < n && text[j] !== '\n' && text[j] !== '{' && text[j] !== '[') j++;
    chunks.push({ text: text.slice(i, j) });
    i = j;
  }
  return chunks;
}

function parseError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.length > 160 ? `${message.slice(0, 160)}…` : message;
}

type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

export function tryParse(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: parseError(err) };
  }
}

/**
 * A payload that parses whole (one value or one array, the usual case) gives its values
 * without an entry object per value; otherwise one entry per value, bad ones included.
 */
export type SplitResult = { whole: true; values: unknown[] } | { whole: false; entries: SplitEntry[] };

export function splitJsonValues(payload: string): SplitResult {
  const text = payload.trim();
  if (text === '') return { whole: false, entries: [{ ok: false, error: 'payload is empty' }] };
  const whole = tryParse(text);
  if (whole.ok) return { whole: true, values: Array.isArray(whole.value) ? whole.value : [whole.value] };
  // One parse per NDJSON line: measured faster than joining large payloads into one array.
  const out: SplitEntry[] = [];
  const push = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) out.push({ ok: true, value: item });
    else out.push({ ok: true, value });
  };
  const reject = (error: string): void => {
    out.push({ ok: false, error: `invalid JSON: ${error}` });
  };
  for (const chunk of scanChunks(text)) {
    const parsed = tryParse(chunk.text);
    if (parsed.ok) {
      push(parsed.value);
      continue;
    }
    // A truncated NDJSON line leaves its brackets open and swallows the lines after it;
    // retrying line by line gets those back.
    if (!chunk.text.includes('\n')) {
      reject(parsed.error);
      continue;
    }
    for (const line of chunk.text.split('\n')) {
      if (line.trim() === '') continue;
      for (const sub of scanChunks(line)) {
        const p = tryParse(sub.text);
        if (p.ok) push(p.value);
        else reject(p.error);
      }
    }
  }
  return { whole: false, entries: out };
}

export function splitJsonElements(payload: string): SplitEntry[] {
  const split = splitJsonValues(payload);
  return split.whole ? split.values.map((value) => ({ ok: true, value })) : split.entries;
}
