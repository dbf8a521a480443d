import { describeValue } from '../ids.ts';
import { compileSchema, type Checker } from '../json-payload.ts';
import {
  ImpinjAntennaConnected,
  ImpinjAntennaDisconnected,
  ImpinjInventoryStatus,
  ImpinjOverflow,
  ImpinjTagInventory,
} from '../schemas/rfid-impinj.ts';
import { elementError, eventTime, layoutTime } from './element-fields.ts';
import type { ElementResult, JsonObject, NormaliseContext, ReaderHealthKind, RfidFormat, RfidRead } from './types.ts';

const checkTagInventory = compileSchema(ImpinjTagInventory);

/** Health events: the member that carries each one, and how to read it. */
const HEALTH: readonly { member: string; kind: Exclude<ReaderHealthKind, 'error'>; check: Checker<JsonObject> }[] = [
  { member: 'antennaConnectedEvent', kind: 'antennaConnected', check: compileSchema(ImpinjAntennaConnected) },
  { member: 'antennaDisconnectedEvent', kind: 'antennaDisconnected', check: compileSchema(ImpinjAntennaDisconnected) },
  { member: 'inventoryStatusEvent', kind: 'inventoryStatus', check: compileSchema(ImpinjInventoryStatus) },
  { member: 'overflowEvent', kind: 'overflow', check: compileSchema(ImpinjOverflow) },
];

const MEMBERS = ['tagInventoryEvent', ...HEALTH.map((h) => h.member)];

function tagInventory(element: JsonObject, ctx: NormaliseContext): ElementResult {
  const checked = checkTagInventory(element);
  if (!checked.ok) return elementError(`impinj tagInventory ${checked.error}`);
  const { tagInventoryEvent: tag, timestamp } = checked.value;
  const fromHex = tag.epcHex === undefined ? undefined : ctx.fields.epc(tag.epcHex);
  const fromBase64 = tag.epc === undefined ? undefined : ctx.fields.base64Epc(tag.epc);
  if (fromHex?.ok === false) return fromHex.error;
  if (fromBase64?.ok === false) return fromBase64.error;
  if (fromHex !== undefined && fromBase64 !== undefined && fromHex.value !== fromBase64.value) {
    return elementError(`impinj tagInventory: epc (${fromBase64.value}) and epcHex (${fromHex.value}) disagree`);
  }
  const epc = fromHex ?? fromBase64;
  if (epc === undefined) return elementError('impinj tagInventory: tagInventoryEvent has neither epc nor epcHex');
  const ts = eventTime(ctx, tag.lastSeenTime, timestamp);
  if (!ts.ok) return ts.error;
  return {
    kind: 'read',
    // Impinj reports power in centi-dBm (peakRssiCdbm -5800 is -58 dBm).
    read: { epc: epc.value, antenna: tag.antennaPort, rssi: tag.peakRssiCdbm / 100, ts: ts.value, readerId: ctx.readerId },
  };
}

function health(element: JsonObject, ctx: NormaliseContext, entry: (typeof HEALTH)[number]): ElementResult {
  const checked = entry.check(element);
  if (!checked.ok) return elementError(`impinj ${entry.kind} ${checked.error}`);
  const body = checked.value[entry.member] as JsonObject;
  const ts = eventTime(ctx, typeof element['timestamp'] === 'string' ? element['timestamp'] : undefined);
  if (!ts.ok) return ts.error;
  const antenna = body['antennaPort'];
  const hostname = element['hostname'];
  return {
    kind: 'health',
    health: {
      readerId: ctx.readerId,
      ts: ts.value,
      kind: entry.kind,
      ...(typeof antenna === 'number' ? { antenna } : {}),
      detail: { vendor: 'impinj', ...(typeof hostname === 'string' ? { hostname } : {}), ...body },
    },
  };
}

/** Event members the element carries; the one-member case, every read, allocates nothing. */
function membersIn(element: JsonObject): readonly string[] {
  let found: string | undefined;
  let count = 0;
  for (const m of MEMBERS) {
    if (!(m in element)) continue;
    found = m;
    count += 1;
  }
  if (count === 0) return [];
  return count === 1 && found === 'tagInventoryEvent' ? TAG_INVENTORY_ONLY : MEMBERS.filter((m) => m in element);
}

const TAG_INVENTORY_ONLY: readonly string[] = ['tagInventoryEvent'];

function normalise(element: JsonObject, ctx: NormaliseContext): ElementResult {
  const present = membersIn(element);
  if (present.length > 1) return elementError(`impinj event carries more than one event member (${present.join(', ')})`);
  if (present[0] === 'tagInventoryEvent') return tagInventory(element, ctx);
  const entry = HEALTH.find((h) => h.member === present[0]);
  if (entry !== undefined) return health(element, ctx, entry);
  const eventType = element['eventType'];
  if (typeof eventType === 'string' && MEMBERS.includes(`${eventType}Event`)) {
    return elementError(`impinj eventType ${describeValue(eventType)} without its ${eventType}Event member`);
  }
  return elementError(`impinj eventType ${describeValue(eventType)} is neither a tag read nor a handled health event`);
}

/** The envelope stamp next to a lastSeenTime is only checked (DeviceTimestamp), never read. */
function envelopeValid(ctx: NormaliseContext, value: unknown): boolean {
  return value === undefined || (typeof value === 'string' && ctx.fields.validTime(value));
}

/**
 * `tagInventory`'s read from a layout's values, when every field passes ImpinjTagInventory
 * (readShape.read). A layout's keys are those of a read the full path accepted, so the
 * element carries tagInventoryEvent and no other event member.
 */
function read(
  ctx: NormaliseContext,
  timestamp: unknown,
  b64: unknown,
  hex: unknown,
  antennaPort: unknown,
  peakRssiCdbm: unknown,
  lastSeenTime: unknown,
): RfidRead | undefined {
  if (typeof antennaPort !== 'number' || !Number.isInteger(antennaPort) || antennaPort < 1) return undefined;
  if (typeof peakRssiCdbm !== 'number' || !Number.isInteger(peakRssiCdbm)) return undefined;
  let epc: string | undefined;
  if (b64 !== undefined) {
    const fromBase64 = typeof b64 === 'string' ? ctx.fields.base64Epc(b64) : undefined;
    if (fromBase64?.ok !== true) return undefined;
    epc = fromBase64.value;
  }
  // epcHex in the accepted EPC's own (uppercase) spelling passes and agrees without a lookup.
  if (hex !== undefined && hex !== epc) {
    const fromHex = typeof hex === 'string' ? ctx.fields.epc(hex) : undefined;
    if (fromHex?.ok !== true || (epc !== undefined && epc !== fromHex.value)) return undefined;
    epc = fromHex.value;
  }
  if (epc === undefined) return undefined;
  // Both stamps must pass the schema; the read takes lastSeenTime when there is one.
  const ts = lastSeenTime === undefined ? layoutTime(ctx, timestamp) : envelopeValid(ctx, timestamp) ? layoutTime(ctx, lastSeenTime) : undefined;
  if (ts === undefined) return undefined;
  return { epc, antenna: antennaPort, rssi: peakRssiCdbm / 100, ts, readerId: ctx.readerId };
}

export const impinjFormat: RfidFormat = {
  name: 'impinj',
  matches: (element) => typeof element['eventType'] === 'string' || MEMBERS.some((m) => m in element),
  readShape: {
    schema: ImpinjTagInventory,
    fields: [
      'timestamp',
      'tagInventoryEvent.epc',
      'tagInventoryEvent.epcHex',
      'tagInventoryEvent.antennaPort',
      'tagInventoryEvent.peakRssiCdbm',
      'tagInventoryEvent.lastSeenTime',
    ],
    read,
  },
  normalise,
};
