/**
 * A setting that is missing or wrong. Entry points print its message as one line and
 * exit with code 1, so an operator sees exactly which setting to fix.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly setting: string,
    problem: string,
  ) {
    super(`configuration error: ${setting} ${problem}`);
  }
}

export function readIntSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be an integer between ${min} and ${max}, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function readUrlSetting(env: NodeJS.ProcessEnv, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a valid URL: "${raw}"`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got "${url.protocol}"`);
  }
  return raw;
}

/** Runs a process entry point, turning a ConfigError into one clear line and exit code 1. */
export function exitOnConfigError(error: unknown): never {
  if (error instanceof ConfigError || (error instanceof Error && error.name === 'SiteConfigError')) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
