import { describeValue } from '../ids.ts';
import { compileSchema } from '../json-payload.ts';
import { ZEBRA_DATA_EVENT_TYPES, ZebraEvent } from '../schemas/rfid-zebra.ts';
import { elementError, eventTime, layoutHexRead } from './element-fields.ts';
import type { ElementResult, JsonObject, NormaliseContext, RfidFormat, RfidRead } from './types.ts';

const checkEvent = compileSchema(ZebraEvent);
const DATA_TYPES: readonly string[] = ZEBRA_DATA_EVENT_TYPES;

/**
 * IoT Connector management events belong on the management endpoint, but a reader set
 * up to send everything to one topic puts them here. Only error and warning reports are
 * taken as reader health; anything else (heartbeats, GPI, user-app events) is reported
 * back as an error so the misrouting gets noticed.
 */
const MANAGEMENT_PROBLEM = /^(?:errors?|warnings?)$/i;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function tagRead(element: JsonObject, ctx: NormaliseContext): ElementResult {
  const checked = checkEvent(element);
  if (!checked.ok) return elementError(`zebra ${String(element['type'])} event ${checked.error}`);
  const { data, timestamp } = checked.value;
  const epc = ctx.fields.epc(data.idHex);
  if (!epc.ok) return epc.error;
  const ts = eventTime(ctx, timestamp);
  if (!ts.ok) return ts.error;
  return { kind: 'read', read: { epc: epc.value, antenna: data.antenna, rssi: data.peakRssi, ts: ts.value, readerId: ctx.readerId } };
}

function managementProblem(element: JsonObject, type: string, ctx: NormaliseContext): ElementResult {
  const data = element['data'];
  const timestamp = element['timestamp'];
  const ts = eventTime(ctx, typeof timestamp === 'string' ? timestamp : undefined);
  if (!ts.ok) return ts.error;
  const body = isObject(data) ? data : { message: data };
  const antenna = body['antenna'];
  return {
    kind: 'health',
    health: {
      readerId: ctx.readerId,
      ts: ts.value,
      kind: 'error',
      ...(typeof antenna === 'number' && Number.isInteger(antenna) ? { antenna } : {}),
      detail: { vendor: 'zebra', type, ...body },
    },
  };
}

function normalise(element: JsonObject, ctx: NormaliseContext): ElementResult {
  const type = element['type'];
  if (typeof type === 'string' && DATA_TYPES.includes(type)) return tagRead(element, ctx);
  if (typeof type === 'string' && MANAGEMENT_PROBLEM.test(type) && element['data'] !== undefined) {
    return managementProblem(element, type, ctx);
  }
  return elementError(
    `zebra event type ${describeValue(type)} is not a tag data event (expected one of ${DATA_TYPES.join(', ')})`,
  );
}

/** `normalise`'s read from a layout's values, when every field passes ZebraEvent (readShape.read). */
function read(ctx: NormaliseContext, type: unknown, timestamp: unknown, idHex: unknown, antenna: unknown, peakRssi: unknown): RfidRead | undefined {
  if (typeof type !== 'string' || !DATA_TYPES.includes(type)) return undefined;
  return layoutHexRead(ctx, idHex, antenna, peakRssi, timestamp, 1);
}

export const zebraFormat: RfidFormat = {
  name: 'zebra',
  matches: (element) => 'type' in element && 'data' in element,
  readShape: { schema: ZebraEvent, fields: ['type', 'timestamp', 'data.idHex', 'data.antenna', 'data.peakRssi'], read },
  normalise,
};
