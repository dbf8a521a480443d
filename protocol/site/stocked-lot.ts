/**
 * A lot as a warehouse lays it out: what a warehouse receipt is issued against and what
 * the manifest of pledged lots lists. The simulator produces these, the demo seeds them
 * into the cloud, and a gateway run without a cloud guards them.
 */
export interface StockedLot {
  readonly lotId: string;
  readonly zone: string;
  readonly commodity: string;
  /** Decimal string, as quantities travel in the API. */
  readonly quantity: string;
  readonly unit: string;
  readonly epcs: readonly string[];
}
