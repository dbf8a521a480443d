import { createHash } from 'node:crypto';
import type { AedesOptions, Client } from 'aedes';
import type { MqttClientEntry } from '../../protocol/site/mqtt-clients.ts';
import type { Logger } from '../logger.ts';
import { verifyMqttPassword } from './mqtt-password.ts';
import { mayPublish, maySubscribe } from './topic-acl.ts';

export interface BrokerAuthOptions {
  site: string;
  clients: readonly MqttClientEntry[];
  log?: Logger;
  /** Counts every refusal by reason (a metric, a test's tally). */
  onRefused?: (reason: 'credentials' | 'client_id' | 'publish' | 'subscribe', username: string | undefined) => void;
}

// CONNACK return codes of MQTT 3.1.1 §3.2.2.3 as aedes expects them on the error.
const BAD_CREDENTIALS = 4;
const IDENTIFIER_REJECTED = 2;
const NOT_AUTHORISED = 5;

function refusal(message: string, returnCode: number): Error & { returnCode: number } {
  return Object.assign(new Error(message), { returnCode });
}

/**
 * The embedded broker's authentication and authorisation: every client logs in with the
 * username and password the site YAML lists (as a scrypt hash); its MQTT client id must
 * be its username, so nobody takes over another device's session by reusing its id
 * (they would need its password); topics follow topic-acl.ts. A verified password is
 * remembered by fingerprint, so a reconnecting device does not pay scrypt again.
 */
export function brokerAuth(options: BrokerAuthOptions): Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'> {
  const byName = new Map(options.clients.map((c) => [c.username, c]));
  const identities = new WeakMap<Client, MqttClientEntry>();
  const verified = new Set<string>();
  const refuse = (reason: Parameters<NonNullable<BrokerAuthOptions['onRefused']>>[0], username: string | undefined, detail: Record<string, unknown>) => {
    options.onRefused?.(reason, username);
    options.log?.warn({ reason, username, ...detail }, 'MQTT client refused');
  };

  return {
    authenticate: (client, username, password, done) => {
      const entry = username === undefined ? undefined : byName.get(username);
      const secret = password?.toString('utf8') ?? '';
      if (entry === undefined || secret.length === 0) {
        refuse('credentials', username, { clientId: client.id });
        return done(refusal('bad username or password', BAD_CREDENTIALS), false);
      }
      if (client.id !== entry.username) {
        refuse('client_id', username, { clientId: client.id });
        return done(refusal(`client id must be ${entry.username}`, IDENTIFIER_REJECTED), false);
      }
      const fingerprint = createHash('sha256').update(`${entry.passwordHash}\n${secret}`).digest('hex');
      const accept = () => {
        identities.set(client, entry);
        done(null, true);
      };
      if (verified.has(fingerprint)) return accept();
      verifyMqttPassword(secret, entry.passwordHash).then(
        (ok) => {
          if (!ok) {
            refuse('credentials', username, { clientId: client.id });
            return done(refusal('bad username or password', BAD_CREDENTIALS), false);
          }
          verified.add(fingerprint);
          accept();
        },
        (error: unknown) => done(refusal(`password check failed: ${String(error)}`, BAD_CREDENTIALS), false),
      );
    },
    authorizePublish: (client, packet, done) => {
      const who = client ? identities.get(client) : undefined;
      if (who !== undefined && mayPublish(who, options.site, packet.topic)) return done(null);
      refuse('publish', who?.username, { topic: packet.topic.slice(0, 200) });
      done(refusal(`may not publish to ${packet.topic.slice(0, 200)}`, NOT_AUTHORISED));
    },
    authorizeSubscribe: (client, subscription, done) => {
      const who = client ? identities.get(client) : undefined;
      if (who !== undefined && maySubscribe(who, options.site, subscription.topic)) return done(null, subscription);
      refuse('subscribe', who?.username, { topic: subscription.topic.slice(0, 200) });
      // A null subscription is MQTT's "failure" return code in SUBACK, not a dropped session.
      done(null, null);
    },
  };
}
