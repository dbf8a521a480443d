import { Type, type Static } from 'typebox';

const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });

/**
 * Who may connect to the site's MQTT broker (PROTOCOL.md "Who may publish"): one entry
 * per client, its username its own id (and its MQTT client id), its password stored as a
 * scrypt hash (`scrypt$N$r$p$salt$hash`, written by `npm run provision`).
 * - `device`: publishes only its own `wh/{site}/{kind}/{id}/…` and `wh/{site}/device/{id}/status`;
 * - `gateway`: the one client that publishes `wh/{site}/gateway/#`, and reads the site's devices;
 * - `viewer`: reads what the gateway publishes (`wh/{site}/gateway/#`), publishes nothing.
 */
export const MqttClientEntry = Type.Object(
  {
    username: Id,
    role: Type.Union([Type.Literal('device'), Type.Literal('gateway'), Type.Literal('viewer')]),
    /** For devices: the topic segment they publish under. */
    kind: Type.Optional(Type.Union([Type.Literal('rfid'), Type.Literal('camera'), Type.Literal('audio'), Type.Literal('sensor')])),
    passwordHash: Type.String({ pattern: '^scrypt\\$\\d+\\$\\d+\\$\\d+\\$[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+$' }),
  },
  { additionalProperties: false },
);

export const MqttClients = Type.Array(MqttClientEntry, { maxItems: 10_000 });

export type MqttClientEntry = Static<typeof MqttClientEntry>;
