import type { Stage, StageContext } from '../pipeline/stage.ts';
import { createFusion, type Fusion, type FusionDeps } from './create-fusion.ts';

export type FusionStage = Stage & Pick<Fusion, 'observe' | 'states'>;

/**
 * Fusion as a pipeline stage: it reads no device channel (its input is the durable
 * events the other stages produced, handed to `observe` by the pipeline's `onEvent`),
 * but it shares their context and their clock, so it is created, ticked and stopped
 * with them.
 */
export function createFusionStage(ctx: StageContext, deps: Omit<FusionDeps, 'ctx'>): FusionStage {
  const fusion = createFusion({ ...deps, ctx });
  return {
    name: 'fusion',
    channels: [],
    handle: () => {},
    tick: (now) => fusion.tick(now),
    async stop() {
      fusion.stop();
      await deps.state?.flush();
    },
    observe: (event) => fusion.observe(event),
    states: () => fusion.states(),
  };
}
