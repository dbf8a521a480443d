import { describe, expect, it } from 'vitest';
import { logFormat } from '../../infra/logger.ts';
import { ConfigError } from '../../infra/config-error.ts';

describe('log format', () => {
  it('is readable at a terminal and JSON lines elsewhere, unless LOG_FORMAT says otherwise', () => {
    expect(logFormat({}, true)).toBe('pretty');
    expect(logFormat({}, false)).toBe('json');
    expect(logFormat({ LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormat({ LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
  });

  it('refuses a format it does not know, naming the setting', () => {
    expect(() => logFormat({ LOG_FORMAT: 'xml' }, true)).toThrow(ConfigError);
    expect(() => logFormat({ LOG_FORMAT: 'xml' }, true)).toThrow('LOG_FORMAT must be json or pretty, got "xml"');
  });
});
