import { createLogger } from '../infra/logger.ts';
import { exitOnConfigError } from '../infra/config-error.ts';
import { onShutdownSignal } from '../infra/shutdown.ts';
import { loadCloudConfig } from './config.ts';
import { startCloud } from './start-cloud.ts';

const log = createLogger('cloud');
try {
  const cloud = await startCloud(loadCloudConfig(), log);
  onShutdownSignal(log, () => cloud.stop());
} catch (error) {
  exitOnConfigError(error);
}
