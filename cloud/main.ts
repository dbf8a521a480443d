import { createLogger } from '../infra/logger.ts';
import { exitOnConfigError } from '../infra/config-error.ts';
import { onShutdownSignal } from '../infra/shutdown.ts';
import { loadCloudConfig, requireSharedSecrets } from './config.ts';
import { startCloud } from './start-cloud.ts';

try {
  const log = createLogger('cloud');
  const config = loadCloudConfig();
  requireSharedSecrets(config);
  const cloud = await startCloud(config, log);
  onShutdownSignal(log, () => cloud.stop());
} catch (error) {
  exitOnConfigError(error);
}
