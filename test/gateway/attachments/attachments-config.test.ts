import { describe, expect, it } from 'vitest';
import { MAX_ATTACHMENT_BYTES } from '../../../protocol/index.ts';
import { loadGatewayConfig } from '../../../gateway/config.ts';
import { loadCloudConfig } from '../../../cloud/config.ts';

describe('attachment bounds in the settings, checked at start', () => {
  it('gives the gateway store a default and refuses one that cannot hold the largest attachment', () => {
    expect(loadGatewayConfig({ GATEWAY_TOKEN: 't' }).attachmentsMaxBytes).toBe(256 * 1024 * 1024);
    expect(loadGatewayConfig({ GATEWAY_TOKEN: 't', GATEWAY_ATTACHMENTS_MAX_BYTES: String(MAX_ATTACHMENT_BYTES) }).attachmentsMaxBytes).toBe(MAX_ATTACHMENT_BYTES);
    expect(() => loadGatewayConfig({ GATEWAY_TOKEN: 't', GATEWAY_ATTACHMENTS_MAX_BYTES: '1000' })).toThrow(/GATEWAY_ATTACHMENTS_MAX_BYTES/);
  });

  it("gives the cloud's per-tenant bound a default and refuses one below the largest attachment", () => {
    expect(loadCloudConfig({}).attachments.tenantMaxBytes).toBe(10 * 1024 ** 3);
    expect(() => loadCloudConfig({ ATTACHMENT_TENANT_MAX_BYTES: 'lots' })).toThrow(/ATTACHMENT_TENANT_MAX_BYTES/);
    expect(() => loadCloudConfig({ ATTACHMENT_TENANT_MAX_BYTES: '10' })).toThrow(/ATTACHMENT_TENANT_MAX_BYTES/);
  });
});
