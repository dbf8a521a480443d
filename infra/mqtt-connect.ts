import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

/**
 * Connects with MQTT 5 (user properties carry frame and audio timestamps) and falls
 * back to 3.1.1 when the broker refuses version 5, as the embedded aedes broker does.
 * PROTOCOL.md makes those properties optional, so the system works either way.
 */
export async function connectMqtt(url: string, options: IClientOptions): Promise<MqttClient> {
  try {
    return await mqtt.connectAsync(url, { ...options, protocolVersion: 5 });
  } catch (error) {
    // CONNACK return code 1 (3.1.1) or reason 132 (5.0): unacceptable protocol version.
    const code = (error as { code?: unknown }).code;
    if (code !== 1 && code !== 132) throw error;
    const { properties: _v5Only, ...v311 } = options;
    return mqtt.connectAsync(url, { ...v311, protocolVersion: 4 });
  }
}
