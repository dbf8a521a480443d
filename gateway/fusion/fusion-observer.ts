import type { EventObserver, StageContext } from '../pipeline/stage.ts';
import { createFusion, type Fusion, type FusionDeps } from './create-fusion.ts';

export type FusionObserver = EventObserver & Pick<Fusion, 'states'>;

/**
 * Fusion as an observer of the sealed events (`pipeline.addObserver`): it reads no device
 * channel, its input is the durable events the stages produced, but it shares their
 * context and clock, so the pipeline ticks it after them and stops it before them.
 */
export function createFusionObserver(ctx: StageContext, deps: Omit<FusionDeps, 'ctx'>): FusionObserver {
  const fusion = createFusion({ ...deps, ctx });
  return {
    name: 'fusion',
    observe: (event) => fusion.observe(event),
    tick: (now) => fusion.tick(now),
    async stop() {
      fusion.stop();
      await deps.state?.flush();
    },
    states: () => fusion.states(),
  };
}
