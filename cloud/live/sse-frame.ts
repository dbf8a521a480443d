/**
 * One Server-Sent Events frame (HTML Living Standard, "Server-sent events"): `id`,
 * `event` and `data` lines, a blank line to end it. Data is JSON on one line, so no
 * line inside it can be mistaken for a field.
 */
export function sseFrame(input: { id?: string; event?: string; data: unknown; retryMs?: number }): string {
  let frame = '';
  if (input.retryMs !== undefined) frame += `retry: ${Math.max(0, Math.floor(input.retryMs))}\n`;
  if (input.id !== undefined) frame += `id: ${oneLine(input.id)}\n`;
  if (input.event !== undefined) frame += `event: ${oneLine(input.event)}\n`;
  frame += `data: ${JSON.stringify(input.data)}\n\n`;
  return frame;
}

/** A comment line: ignored by EventSource, keeps proxies from closing an idle stream. */
export const SSE_HEARTBEAT = ': ping\n\n';

function oneLine(value: string): string {
  return value.replace(/[\r\n]/g, ' ');
}
