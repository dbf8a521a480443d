const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function parseIso(text: string | undefined): number | undefined {
  if (text === undefined || text.length > 40 || !ISO.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * `ts=` in a JPEG comment (COM, 0xFFFE) right after SOI, where IP cameras (and the
 * simulator) put the capture time for brokers that drop MQTT 5 user properties.
 */
export function commentTimestamp(payload: Uint8Array): number | undefined {
  if (payload.length < 6 || payload[0] !== 0xff || payload[1] !== 0xd8 || payload[2] !== 0xff || payload[3] !== 0xfe) return undefined;
  const length = ((payload[4] as number) << 8) | (payload[5] as number);
  const text = Buffer.from(payload.buffer, payload.byteOffset + 6, Math.max(0, Math.min(length - 2, payload.length - 6, 512))).toString('latin1');
  const match = /(?:^|;)ts=([^;]{1,40})/.exec(text);
  return parseIso(match?.[1]);
}

/** The frame's capture time: the `ts` user property, else the JPEG comment's, else undefined. */
export function captureTime(userProperties: Readonly<Record<string, string>>, payload: Uint8Array): number | undefined {
  return parseIso(userProperties.ts) ?? commentTimestamp(payload);
}
