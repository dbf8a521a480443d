import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../../infra/logger.ts';
import type { EventRejection, SenderHooks } from '../outbox/index.ts';

/**
 * Where events the cloud refused for good go: one JSON line per event (the event exactly
 * as signed, the cloud's reason, the time), appended and fsynced before the sender acks
 * them, so a person can read, fix and replay them. The outbox moves on; nothing is lost.
 */
export function createQuarantineHooks(deps: { file: string; log: Logger; now?: () => Date }): SenderHooks {
  const now = deps.now ?? (() => new Date());
  return {
    onDeadLettered: ({ records, rejections }) => {
      const reasons = new Map<string, EventRejection>(rejections.map((r) => [r.id, r]));
      const lines = records.map((record) => `${JSON.stringify({ at: now().toISOString(), reason: reasons.get(record.id)?.message ?? 'refused', event: record })}\n`).join('');
      try {
        mkdirSync(dirname(deps.file), { recursive: true });
        const fd = openSync(deps.file, 'a');
        try {
          writeSync(fd, lines);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
      } catch (error) {
        deps.log.error({ err: error, file: deps.file }, 'ALARM: could not write quarantined events to disk');
      }
      deps.log.error({ count: records.length, file: deps.file, ids: records.map((r) => r.id).slice(0, 20) }, 'ALARM: events refused by the cloud quarantined');
    },
  };
}
