import { compileSchema } from '../json-payload.ts';
import { CompactRead } from '../schemas/rfid-compact.ts';
import { elementError, eventTime, layoutHexRead } from './element-fields.ts';
import type { ElementResult, JsonObject, NormaliseContext, RfidFormat, RfidRead } from './types.ts';

const checkRead = compileSchema(CompactRead);

function normalise(element: JsonObject, ctx: NormaliseContext): ElementResult {
  const checked = checkRead(element);
  if (!checked.ok) return elementError(`compact read ${checked.error}`);
  const { epc: hex, antenna, rssi, ts: timestamp } = checked.value;
  const epc = ctx.fields.epc(hex);
  if (!epc.ok) return epc.error;
  const ts = eventTime(ctx, timestamp);
  if (!ts.ok) return ts.error;
  return { kind: 'read', read: { epc: epc.value, antenna, rssi, ts: ts.value, readerId: ctx.readerId } };
}

/** `normalise`'s read from a layout's values, when every field passes CompactRead (readShape.read). */
function read(ctx: NormaliseContext, hex: unknown, antenna: unknown, rssi: unknown, timestamp: unknown): RfidRead | undefined {
  return layoutHexRead(ctx, hex, antenna, rssi, timestamp, 0);
}

export const compactFormat: RfidFormat = {
  name: 'compact',
  matches: (element) => 'epc' in element,
  readShape: { schema: CompactRead, fields: ['epc', 'antenna', 'rssi', 'ts'], read },
  normalise,
};
