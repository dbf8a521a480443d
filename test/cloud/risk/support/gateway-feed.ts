import { randomUUID } from 'node:crypto';
import { GENESIS_HASH, generateGatewayKeys, loadPrivateKey, sealEvent, type EvidenceOf, type VerificationEvent } from '../../../../protocol/index.ts';
import { createGatewayRepository } from '../../../../cloud/gateways/gateway-repository.ts';
import type { CollateralWorld } from './collateral-world.ts';
import { expectStatus } from './collateral-world.ts';

export interface GatewayFeed {
  readonly gatewayId: string;
  readonly token: string;
  /** Seals and delivers one event through POST /gateways/{id}/events, then waits for the bus. */
  /** Evidence fits its type (protocol/evidence), else the cloud stores the event but applies it to nothing. */
  send<T extends VerificationEvent['type']>(type: T, fields: { lotId?: string; zone?: string; evidence: EvidenceOf<T>; severity?: VerificationEvent['severity']; ts?: Date }): Promise<VerificationEvent>;
}

/** A provisioned gateway with a registered key, delivering signed, chained events like a real one. */
export async function startGatewayFeed(world: CollateralWorld, site: string): Promise<GatewayFeed> {
  const gatewayId = `gw-${site}`;
  const token = `token-${randomUUID()}`;
  const keys = generateGatewayKeys();
  await createGatewayRepository(world.db.prisma).provision({ id: gatewayId, siteId: site, token });
  const auth = { authorization: `Bearer ${token}` };
  expectStatus(await world.app.inject({ method: 'PUT', url: `/api/v1/gateways/${gatewayId}/key`, headers: auth, payload: { publicKey: keys.publicKeyPem } }), 200);
  const key = loadPrivateKey(keys.privateKeyPem);
  let head = { seq: 0, hash: GENESIS_HASH };
  return {
    gatewayId,
    token,
    async send(type, fields) {
      const event = sealEvent(
        {
          id: randomUUID(),
          site,
          gatewayId,
          seq: head.seq + 1,
          ts: (fields.ts ?? new Date()).toISOString(),
          type,
          severity: fields.severity ?? 'info',
          ...(fields.lotId === undefined ? {} : { lotId: fields.lotId }),
          ...(fields.zone === undefined ? {} : { zone: fields.zone }),
          evidence: fields.evidence,
        },
        head.hash,
        key,
      );
      head = { seq: event.seq, hash: event.hash };
      const res = expectStatus(await world.app.inject({ method: 'POST', url: `/api/v1/gateways/${gatewayId}/events`, headers: auth, payload: { events: [event] } }), 200);
      if (res.accepted !== 1) throw new Error(`event not accepted: ${JSON.stringify(res)}`);
      await world.bus.idle();
      return event;
    },
  };
}
