import { cameraBlurred, cameraCovered, cameraFrozen, cameraMoved } from './scenarios/camera-tamper.ts';
import { doublePledge } from './scenarios/double-pledge.ts';
import { networkCut } from './scenarios/network-cut.ts';
import { nightTheft } from './scenarios/night-theft.ts';
import { priceCrash } from './scenarios/price-crash.ts';
import { quietDay } from './scenarios/quiet-day.ts';
import { readerOffline } from './scenarios/reader-offline.ts';
import { substitution } from './scenarios/substitution.ts';
import type { ScenarioDefinition } from './types.ts';

export const SCENARIOS: readonly ScenarioDefinition[] = [
  quietDay,
  nightTheft,
  substitution,
  cameraCovered,
  cameraMoved,
  cameraBlurred,
  cameraFrozen,
  readerOffline,
  networkCut,
  doublePledge,
  priceCrash,
];

export function findScenario(name: string): ScenarioDefinition | undefined {
  return SCENARIOS.find((s) => s.name === name);
}

export function scenarioNames(): string[] {
  return SCENARIOS.map((s) => s.name);
}
