/**
 * What the cloud needs from whoever runs a demo to let an administrator stage incidents
 * on it. The cloud cannot know a simulated warehouse (it must not import one): the demo
 * passes an implementation into `startCloud`, and only then do the routes exist.
 */
export interface DemoScenarioSummary {
  name: string;
  description: string;
  /** `site`: played by the simulated devices; `paper`: played through the cloud's API (prices, receipts). */
  plays: 'site' | 'paper';
  /** What a viewer should see happen. */
  watch: string;
}

export interface DemoTriggerResult {
  scenario: string;
  site: string;
  /** Wall-clock instant the incident was staged (ISO 8601). */
  startedAt: string;
  /** The simulated warehouse's time then (ISO 8601). */
  simTime: string;
  watch: string;
  /** An attempt the cloud refused as it should (the double pledge's 409), when the scenario makes one. */
  refused: { statusCode: number; message: string } | null;
}

/** The live warehouse a demo runs, as far as a viewer can tell. */
export interface DemoWarehouseStatus {
  site: string;
  /** The base scenario it plays (`DEMO_SCENARIO`). */
  scenario: string;
  /** Its simulated time now and when it started (ISO 8601). */
  simTime: string;
  simStart: string;
  speed: number;
}

export interface DemoScenarios {
  list(): readonly DemoScenarioSummary[];
  /** Null while the demo is still starting. */
  status(): DemoWarehouseStatus | null;
  /** Stages `name` (one of list()) on the running demo. Throws AppError (e.g. 503 while the demo starts). */
  trigger(name: string): Promise<DemoTriggerResult>;
}
