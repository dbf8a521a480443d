import { Counter, Gauge, type Registry } from 'prom-client';
import { LOT_STATES, type LotState } from './lot-state.ts';

export function createFusionMetrics(registry: Registry, states: () => Iterable<LotState>) {
  return {
    lots: new Gauge({
      name: 'gateway_fusion_lots',
      help: 'Pledged lots by fused verification state',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        const counts = new Map<LotState, number>(LOT_STATES.map((s) => [s, 0]));
        for (const state of states()) counts.set(state, (counts.get(state) ?? 0) + 1);
        for (const [state, n] of counts) this.set({ state }, n);
      },
    }),
    changes: new Counter({
      name: 'gateway_fusion_state_changes_total',
      help: 'Lot state changes announced as lot.state events, by new state',
      labelNames: ['state'] as const,
      registers: [registry],
    }),
    errors: new Counter({
      name: 'gateway_fusion_errors_total',
      help: 'Fusion failures (an event it could not weigh, a lot state it could not publish), by step',
      labelNames: ['step'] as const,
      registers: [registry],
    }),
  };
}
