import { randomBytes } from 'node:crypto';

/**
 * Ids unique per run: on a shared broker (Mosquitto in CI) retained messages outlive a
 * test, so each test uses its own site and device ids.
 */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
