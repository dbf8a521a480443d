import { compileSchema } from '../json-payload.ts';
import { CompactRead } from '../schemas/rfid-compact.ts';
import { checkedEpc, elementError, eventTime, layoutTime } from './element-fields.ts';
import type { ElementResult, JsonObject, NormaliseContext, RfidFormat, RfidRead } from './types.ts';

const checkRead = compileSchema(CompactRead);

function normalise(element: JsonObject, ctx: NormaliseContext): ElementResult {
  const checked = checkRead(element);
  if (!checked.ok) return elementError(`compact read ${checked.error}`);
  const { epc: hex, antenna, rssi, ts: timestamp } = checked.value;
  const epc = checkedEpc(hex);
  if (!epc.ok) return epc.error;
  const ts = eventTime(ctx, timestamp);
  if (!ts.ok) return ts.error;
  return { kind: 'read', read: { epc: epc.value, antenna, rssi, ts: ts.value, readerId: ctx.readerId } };
}

/** `normalise`'s read from a layout's values, when every field passes CompactRead (readShape.read). */
function read(ctx: NormaliseContext, hex: unknown, antenna: unknown, rssi: unknown, timestamp: unknown): RfidRead | undefined {
  if (typeof hex !== 'string' || typeof antenna !== 'number' || typeof rssi !== 'number') return undefined;
  if (!Number.isInteger(antenna) || antenna < 0 || !Number.isFinite(rssi)) return undefined;
  const epc = checkedEpc(hex);
  if (!epc.ok) return undefined;
  const ts = layoutTime(ctx, timestamp);
  if (ts === undefined) return undefined;
  return { epc: epc.value, antenna, rssi, ts, readerId: ctx.readerId };
}

export const compactFormat: RfidFormat = {
  name: 'compact',
  matches: (element) => 'epc' in element,
  readShape: { schema: CompactRead, fields: ['epc', 'antenna', 'rssi', 'ts'], read },
  normalise,
};
