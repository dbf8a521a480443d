import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signature a webhook receiver checks: HMAC-SHA256 over `<timestamp>.<body>` with the
 * subscription's secret, hex, sent as `X-Signature: sha256=<hex>` with the timestamp in
 * `X-Timestamp` (the Stripe and GitHub style); the timestamp in the signed text lets the
 * receiver refuse replays of an old delivery.
 */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function verifyWebhook(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
