import type { Logger } from '../infra/logger.ts';
import { AppError } from '../cloud/errors.ts';
import type { DemoScenarios, DemoTriggerResult } from '../cloud/demo-scenarios/demo-scenarios.ts';
import type { GroundTruthEvent, SimulatedWarehouse } from '../firmware-sim/index.ts';
import { createDemoApi, type DemoApi } from './demo-api.ts';
import { doublePledgeReceipt } from './double-pledge-receipt.ts';
import { demoIncidents, type DemoIncident } from './demo-incidents.ts';
import { SECOND_BANK_LENDER } from './second-lender.ts';

/** Who does what on paper: the warehouse files receipts, a risk officer feeds prices, each bank's lender draws. */
export interface DemoActors {
  operator: string;
  risk: string;
  lenders: readonly string[];
}

export interface DemoScenarioTrigger extends DemoScenarios {
  /** Called once the cloud listens and the warehouse runs; until then trigger() answers 503. */
  attach(live: { warehouse: SimulatedWarehouse; cloudUrl: string }): void;
}

/** The demo's own people (demo/seed-identity.ts, demo/second-lender.ts). */
export const DEMO_ACTORS: DemoActors = { operator: 'operator@warehouse.demo', risk: 'risk@bank.demo', lenders: ['lender@bank.demo', SECOND_BANK_LENDER.email] };

const PAPER_WAIT_MS = 15_000;

/**
 * The demo's incidents, staged on the live warehouse from now (issue 25): a site scenario
 * is injected into the running simulation and reaches the cloud the way a real one would,
 * through the devices and the gateway; a paper scenario is injected too, and what it
 * stages on paper goes through the cloud's API as the people involved would send it.
 */
export function createDemoScenarioTrigger(options: { log: Logger; password: string; actors?: DemoActors }): DemoScenarioTrigger {
  const deps = { ...options, actors: options.actors ?? DEMO_ACTORS };
  const incidents = demoIncidents();
  let live: { warehouse: SimulatedWarehouse; api: DemoApi } | undefined;
  // Price ticks go out one at a time, in the order the price path made them.
  let priceFeed = Promise.resolve();

  const feedPrice = (api: DemoApi, truth: GroundTruthEvent) => {
    priceFeed = priceFeed
      .then(async () => {
        const reply = await api.call(deps.actors.risk, 'POST', '/api/v1/prices', {
          commodity: truth.detail.commodity,
          price: { amount: String(truth.detail.price), currency: String(truth.detail.currency) },
          unit: String(truth.detail.unit),
          source: 'demo-price-crash',
        });
        if (reply.status !== 201) deps.log.warn({ status: reply.status, reply: reply.json }, 'demo price tick refused');
      })
      .catch((err: unknown) => deps.log.warn({ err }, 'demo price tick failed'));
  };

  // The borrower draws what every facility allows, so that a price fall reaches a margin call.
  const drawToLimit = async (api: DemoApi) => {
    for (const lender of deps.actors.lenders) {
      const list = await api.call(lender, 'GET', '/api/v1/facilities');
      const items = (list.json.items ?? []) as Array<{ id: string; figures?: { available?: { amount: string; currency: string } } }>;
      for (const facility of items) {
        const available = facility.figures?.available;
        if (available === undefined || !(Number(available.amount) > 0)) continue;
        const drawn = await api.call(lender, 'POST', `/api/v1/facilities/${facility.id}/drawdowns`, { amount: available, note: 'demo: drawn to the limit before the price crash' });
        deps.log.info({ facility: facility.id, lender, status: drawn.status }, 'demo drawing before the price crash');
      }
    }
  };

  const doublePledge = async (warehouse: SimulatedWarehouse, api: DemoApi, incident: DemoIncident): Promise<DemoTriggerResult['refused']> => {
    const presented = nextTruth(warehouse, (e) => e.kind === 'double-pledge', PAPER_WAIT_MS);
    // Should the injection throw, the wait must not end as an unhandled rejection later.
    presented.catch(() => undefined);
    warehouse.inject(incident.name, { leadMs: incident.leadMs });
    const truth = await presented;
    const reply = await api.call(deps.actors.operator, 'POST', '/api/v1/receipts', doublePledgeReceipt(warehouse, truth));
    deps.log.info({ status: reply.status, lotId: truth.lotId, duplicateLotId: truth.detail.duplicateLotId }, 'demo double pledge presented');
    return { statusCode: reply.status, message: String(reply.json.message ?? '') };
  };

  return {
    list: () => incidents.map(({ leadMs: _lead, ...summary }) => summary),
    status() {
      if (live === undefined) return null;
      const stats = live.warehouse.stats();
      const { site, scenario } = live.warehouse;
      return { site: site.site, scenario: scenario.name, simTime: new Date(live.warehouse.simNow()).toISOString(), simStart: new Date(scenario.startMs).toISOString(), speed: stats.speed };
    },
    attach(attached) {
      const api = createDemoApi(attached.cloudUrl, deps.password);
      live = { warehouse: attached.warehouse, api };
      attached.warehouse.onGroundTruth((truth) => {
        if (truth.kind === 'price') feedPrice(api, truth);
      });
    },
    async trigger(name) {
      const incident = incidents.find((i) => i.name === name);
      if (incident === undefined) throw new AppError('not_found', `demo scenario "${name}" not found`);
      if (live === undefined) throw new AppError('unavailable', 'the demo is still starting; try again in a few seconds');
      const { warehouse, api } = live;
      const startedAt = new Date().toISOString();
      const simTime = new Date(warehouse.simNow()).toISOString();
      let refused: DemoTriggerResult['refused'] = null;
      if (incident.name === 'double-pledge') refused = await doublePledge(warehouse, api, incident);
      else {
        if (incident.name === 'price-crash') await drawToLimit(api);
        warehouse.inject(incident.name, { leadMs: incident.leadMs });
      }
      return { scenario: incident.name, site: warehouse.site.site, startedAt, simTime, watch: incident.watch, refused };
    },
  };
}

/** The next ground-truth event that matches, or a 503 when the warehouse does not get there in time. */
function nextTruth(warehouse: SimulatedWarehouse, match: (e: GroundTruthEvent) => boolean, timeoutMs: number): Promise<GroundTruthEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new AppError('unavailable', 'the simulated warehouse did not stage the incident in time'));
    }, timeoutMs);
    const off = warehouse.onGroundTruth((event) => {
      if (!match(event)) return;
      clearTimeout(timer);
      off();
      resolve(event);
    });
  });
}
