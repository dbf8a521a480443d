import type { SimMessage, SimOutput } from './types.ts';

/** The messages a broker would deliver for some outputs: publishes, `online` on connect, the will on a drop. */
export function deliveredMessages(outputs: readonly SimOutput[]): SimMessage[] {
  return outputs.map((o) => (o.type === 'publish' ? o.message : o.type === 'connect' ? o.online : o.will));
}
