import type { VerificationEvent } from '../../protocol/index.ts';
import type { EventLog } from '../../gateway/event-log/event-log.ts';
import type { EventDraft } from '../../gateway/event-log/event-draft.ts';

/** An event log for pipeline tests: keeps every draft and numbers them as the real log would, without sealing. */
export function recordingEventLog(): EventLog & { drafts: EventDraft[] } {
  const drafts: EventDraft[] = [];
  return {
    drafts,
    async append(batch) {
      drafts.push(...batch);
      return batch.map((d, i) => ({ ...d, seq: drafts.length - batch.length + i + 1 }) as unknown as VerificationEvent);
    },
    head: () => ({ seq: drafts.length, hash: '' }),
  };
}
