/**
 * Imports a price CSV of any size straight into the database, with a progress bar on
 * stderr and the summary (bad rows by line) as JSON on stdout:
 *
 *   npx tsx cloud/prices/import-prices-cli.ts prices.csv [--source NAME]
 *
 * DATABASE_URL selects PostgreSQL, otherwise the cloud's PGlite in CLOUD_DATA_DIR
 * (default .data/cloud). The file is parsed as a stream; the ticks are then stored per
 * series and every pledged receipt they move is revalued, as POST /api/v1/prices/import does.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { exitOnConfigError } from '../../infra/config-error.ts';
import { createLogger } from '../../infra/logger.ts';
import { loadCloudConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { createDomainEventBus } from '../domain-events/domain-event-bus.ts';
import { revalueSeries } from '../risk/revalue-series.ts';
import { parsePriceCsvStream } from './price-csv.ts';
import { createPriceImporter } from './price-import.ts';
import { createProgressBar } from './progress-bar.ts';

const USAGE = 'usage: import-prices-cli <file.csv> [--source NAME]';
const REPORTED_BAD_ROWS = 50;

async function main(argv: string[]): Promise<number> {
  const file = argv.find((a) => !a.startsWith('--'));
  const sourceAt = argv.indexOf('--source');
  const source = sourceAt >= 0 ? argv[sourceAt + 1] : undefined;
  if (file === undefined || (sourceAt >= 0 && source === undefined)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadCloudConfig();
  const totalBytes = (await stat(file)).size;
  const bar = createProgressBar(process.stderr);
  const mib = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MiB`;
  const parsed = await parsePriceCsvStream(createReadStream(file), {
    totalBytes,
    progressEvery: 5_000,
    onProgress: (rows, bytes) => bar.update(bytes, totalBytes, `${rows.toLocaleString('en')} rows, ${mib(bytes)} of ${mib(totalBytes)}`),
  });
  bar.finish(`parsed ${parsed.rowsDone.toLocaleString('en')} rows: ${parsed.tickCount.toLocaleString('en')} ticks, ${parsed.badRowCount} bad`);

  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    const importer = createPriceImporter({ prisma: db.prisma, bus: createDomainEventBus(createLogger('import-prices')), revalue: revalueSeries });
    const summary = await importer(parsed, {
      actor: 'system:import-prices-cli',
      ...(source === undefined ? {} : { source }),
      onProgress: (p) => bar.update(p.ticks, parsed.tickCount, `stored ${p.series}/${p.of} series`),
    });
    bar.finish(`stored ${summary.imported.toLocaleString('en')} new ticks (${summary.duplicates} already known) in ${summary.series.length} series`);
    process.stdout.write(`${JSON.stringify({ ...summary, badRows: summary.badRows.slice(0, REPORTED_BAD_ROWS) })}\n`);
    return 0;
  } finally {
    await db.close();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  exitOnConfigError(error);
}
