import type { Logger } from '../../infra/logger.ts';
import type { Database } from '../db/database.ts';
import type { LiveMessage } from './live-hub.ts';
import type { LiveTransport } from './live-transport.ts';

const CHANNEL = 'live_message';
const BATCH = 500;
/** Rows kept for replicas that fall behind and viewers that resume; older ones are pruned. */
const KEEP = 10_000;
const PRUNE_EVERY = 500;
/**
 * A sequence number is taken at insert and becomes visible at commit, so a reader may see
 * 11 before 10. A hole is waited for this long before it is taken for a rolled-back insert.
 */
const HOLE_WAIT_MS = 1_000;
const HOLE_RETRY_MS = 25;

interface Row extends Record<string, unknown> {
  seq: string | number | bigint;
  event: string;
  data: unknown;
  tenants: string[];
}

/**
 * Live messages through PostgreSQL (or PGlite): written to `live_message`, announced with
 * NOTIFY, read by every replica in `seq` order. Each replica starts from the newest row,
 * so a new replica streams what happens from then on; resuming further back is the hub's
 * buffer's business.
 */
export function pgLiveTransport(db: Pick<Database, 'sql' | 'listen'>, log: Pick<Logger, 'warn' | 'error'>): LiveTransport {
  let epoch = '';
  let last = 0;
  let deliver: ((messages: readonly LiveMessage[]) => void) | undefined;
  let unlisten: (() => Promise<void>) | undefined;
  let reading: Promise<void> | undefined;
  let again = false;
  let holeSince: number | undefined;
  let holeTimer: NodeJS.Timeout | undefined;
  let sent = 0;

  const readOnce = async (): Promise<void> => {
    const rows = await db.sql.query<Row>('SELECT seq, event, data, tenants FROM live_message WHERE seq > $1 ORDER BY seq LIMIT $2', [last, BATCH]);
    const messages: LiveMessage[] = [];
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== last + 1) {
        holeSince ??= Date.now();
        if (Date.now() - holeSince < HOLE_WAIT_MS) {
          holeTimer ??= setTimeout(() => {
            holeTimer = undefined;
            read();
          }, HOLE_RETRY_MS);
          break;
        }
        log.warn({ from: last + 1, to: seq - 1 }, 'live messages never committed were skipped');
      }
      holeSince = undefined;
      last = seq;
      messages.push({ id: `${epoch}.${seq}`, event: row.event, data: row.data, tenants: row.tenants });
    }
    if (messages.length > 0) deliver?.(messages);
    if (rows.length === BATCH && messages.length === rows.length) again = true;
  };
  // One read at a time; a notification during a read asks for one more after it.
  const read = (): void => {
    if (deliver === undefined) return;
    if (reading !== undefined) {
      again = true;
      return;
    }
    reading = readOnce()
      .catch((err: unknown) => log.error({ err }, 'reading live messages failed'))
      .finally(() => {
        reading = undefined;
        if (again) {
          again = false;
          read();
        }
      });
  };

  return {
    epoch: () => epoch,
    async start(d) {
      const [row] = await db.sql.query<{ id: string }>('SELECT id FROM live_epoch LIMIT 1');
      epoch = row?.id ?? 'live';
      const [head] = await db.sql.query<{ seq: string | number | null }>('SELECT max(seq) AS seq FROM live_message');
      last = Number(head?.seq ?? 0);
      deliver = d;
      unlisten = await db.listen(CHANNEL, read);
    },
    async send(event, data, tenants) {
      await db.sql.query(
        `WITH m AS (INSERT INTO live_message (event, data, tenants) VALUES ($1, $2::jsonb, $3::text[]) RETURNING seq)
         SELECT pg_notify('${CHANNEL}', seq::text) FROM m`,
        [event, JSON.stringify(data ?? null), [...tenants]],
      );
      sent += 1;
      if (sent % PRUNE_EVERY === 0) await db.sql.query('DELETE FROM live_message WHERE seq <= (SELECT max(seq) FROM live_message) - $1', [KEEP]);
    },
    async stop() {
      deliver = undefined;
      if (holeTimer !== undefined) clearTimeout(holeTimer);
      await unlisten?.();
      await reading;
    },
  };
}
