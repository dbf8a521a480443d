import nodemailer from 'nodemailer';
import { signWebhook } from './webhook-signature.ts';

export interface OutgoingMessage {
  readonly deliveryId: string;
  readonly target: string;
  readonly secret: string | null;
  readonly subject: string;
  readonly text: string;
  readonly data: unknown;
  readonly at: Date;
}

/** Delivers one message or throws why not; the queue retries. */
export type Channel = (message: OutgoingMessage) => Promise<void>;

const WEBHOOK_TIMEOUT_MS = 10_000;

/** Email through the configured SMTP relay (SMTP_URL); undefined without one. */
export function createEmailChannel(smtpUrl: string | undefined, from: string): (Channel & { close(): void }) | undefined {
  if (smtpUrl === undefined) return undefined;
  const transport = nodemailer.createTransport(smtpUrl);
  const send: Channel = async (message) => {
    await transport.sendMail({ from, to: message.target, subject: message.subject, text: message.text, headers: { 'X-Delivery-Id': message.deliveryId } });
  };
  return Object.assign(send, { close: () => transport.close() });
}

/** A JSON POST whose body is signed (webhook-signature.ts); anything but 2xx is a failure. */
export const webhookChannel: Channel = async (message) => {
  const body = JSON.stringify(message.data);
  const timestamp = String(Math.floor(message.at.getTime() / 1000));
  const response = await fetch(message.target, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-delivery-id': message.deliveryId,
      'x-timestamp': timestamp,
      'x-signature': signWebhook(message.secret ?? '', timestamp, body),
    },
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
  });
  await response.body?.cancel();
  if (response.status < 200 || response.status > 299) throw new Error(`HTTP ${response.status}`);
};
