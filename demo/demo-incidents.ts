import type { DemoScenarioSummary } from '../cloud/demo-scenarios/demo-scenarios.ts';
import { findScenario } from '../firmware-sim/index.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface DemoIncident extends DemoScenarioSummary {
  /**
   * How far into the scenario's own script the warehouse jumps in: its incident comes
   * within a simulated quarter of an hour (a quarter of a minute at 60x), not after the
   * quiet lead-up the script opens with.
   */
  leadMs: number;
}

/** The firmware-sim scenarios that make sense on top of a running quiet site, with what to watch for. */
const INCIDENTS: ReadonlyArray<Omit<DemoIncident, 'description'>> = [
  {
    name: 'night-theft',
    plays: 'site',
    leadMs: 30 * MINUTE,
    watch: 'an angle grinder at the dock door, then pallets of one lot leave on a forklift: tags.missing, a case for the lot, its facility frozen',
  },
  { name: 'substitution', plays: 'site', leadMs: 28 * MINUTE, watch: 'goods on two pallets swapped for look-alikes, tags moved over: the camera sees other goods, a case for the lot' },
  { name: 'camera-covered', plays: 'site', leadMs: 18 * MINUTE, watch: 'a camera lens covered for 25 minutes: camera.tamper, a case for the bay' },
  { name: 'camera-moved', plays: 'site', leadMs: 18 * MINUTE, watch: 'a camera knocked sideways for an hour: camera.tamper, a case for the bay' },
  { name: 'camera-blurred', plays: 'site', leadMs: 18 * MINUTE, watch: 'a camera defocused for 40 minutes: camera.tamper, a case for the bay' },
  { name: 'camera-frozen', plays: 'site', leadMs: 18 * MINUTE, watch: "a camera's stream frozen on one frame: camera.tamper, a case for the bay" },
  { name: 'reader-offline', plays: 'site', leadMs: 10 * MINUTE, watch: 'a bay reader loses an antenna, then its power: device health events, a case for the reader' },
  { name: 'network-cut', plays: 'site', leadMs: 14 * MINUTE, watch: 'every device loses the broker for 12 minutes, readers buffer, then all reconnect' },
  {
    name: 'double-pledge',
    plays: 'paper',
    leadMs: 15 * MINUTE,
    watch: 'the depositor presents a pledged lot again as a new lot: the second receipt is refused with 409',
  },
  {
    name: 'price-crash',
    plays: 'paper',
    leadMs: 4 * HOUR,
    watch: 'the borrower draws what its facilities allow, then a stored commodity falls ~22 % over two simulated hours: LTV climbs to a margin call',
  },
];

/** The demo's incidents, described as their scenarios describe themselves. */
export function demoIncidents(): DemoIncident[] {
  return INCIDENTS.flatMap((incident) => {
    const scenario = findScenario(incident.name);
    return scenario === undefined ? [] : [{ ...incident, description: scenario.description }];
  });
}
