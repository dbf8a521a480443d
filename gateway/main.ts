import { createLogger } from '../infra/logger.ts';
import { ConfigError, exitOnConfigError, readIntSetting } from '../infra/config-error.ts';
import { onShutdownSignal } from '../infra/shutdown.ts';
import { startBroker } from '../infra/broker.ts';
import { loadGatewayConfig } from './config.ts';
import { startGateway } from './start-gateway.ts';

try {
  const log = createLogger('gateway');
  const config = loadGatewayConfig();
  // A site without its own broker gets the embedded one on the standard port, so the
  // warehouse's devices have somewhere to connect.
  const port = readIntSetting(process.env, 'MQTT_PORT', 1883, 0, 65535);
  const broker = await startBroker({ url: config.mqttUrl, port, host: '0.0.0.0', log }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    throw new ConfigError('MQTT_PORT', `${port} is already in use (another broker?): set MQTT_URL=mqtt://127.0.0.1:${port} to use it, or choose another MQTT_PORT`);
  });
  const gateway = await startGateway(config, { log, mqttUrl: broker.url });
  onShutdownSignal(log, async () => {
    await gateway.stop();
    await broker.close();
  });
} catch (error) {
  exitOnConfigError(error);
}
