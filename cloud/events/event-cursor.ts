const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque keyset cursor over (ts, id), so paging stays stable while new events arrive. */
export function encodeCursor(position: { ts: Date; id: string }): string {
  return Buffer.from(`${position.ts.toISOString()}|${position.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { ts: Date; id: string } | undefined {
  const [ts, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!ts || !id || !UUID.test(id)) return undefined;
  const date = new Date(ts);
  return Number.isNaN(date.getTime()) ? undefined : { ts: date, id };
}
