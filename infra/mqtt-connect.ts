import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

/**
 * Connects with MQTT 5 (user properties carry frame and audio timestamps) and falls
 * back to 3.1.1 when the broker refuses version 5, as the embedded aedes broker does.
 * PROTOCOL.md makes those properties optional, so the system works either way.
 *
 * `prepare` runs on the new client before it connects: a broker that kept the session
 * sends its queued messages right behind the CONNACK, in the same read, before an
 * awaiting caller could attach its `message` handler (mqtt.js would acknowledge them
 * unheard).
 */
export async function connectMqtt(url: string, options: IClientOptions, prepare?: (client: MqttClient) => void): Promise<MqttClient> {
  try {
    return await connectOnce(url, { ...options, protocolVersion: 5 }, prepare);
  } catch (error) {
    // CONNACK return code 1 (3.1.1) or reason 132 (5.0): unacceptable protocol version.
    const code = (error as { code?: unknown }).code;
    if (code !== 1 && code !== 132) throw error;
    const { properties: _v5Only, ...v311 } = options;
    return connectOnce(url, { ...v311, protocolVersion: 4 }, prepare);
  }
}

function connectOnce(url: string, options: IClientOptions, prepare: ((client: MqttClient) => void) | undefined): Promise<MqttClient> {
  // mqtt.connectAsync's settle rules without its handler-less gap: the first connect (or
  // an end) resolves, an error before it ends the client and rejects.
  const client = mqtt.connect(url, options);
  prepare?.(client);
  return new Promise((resolve, reject) => {
    const settle = () => {
      client.off('connect', onConnect);
      client.off('end', onConnect);
      client.off('error', onError);
    };
    const onConnect = () => {
      settle();
      resolve(client);
    };
    const onError = (error: Error) => {
      settle();
      client.end();
      reject(error);
    };
    client.on('connect', onConnect);
    client.on('end', onConnect);
    client.on('error', onError);
  });
}
