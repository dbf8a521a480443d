import { defineConfig } from 'prisma/config';

// Only `prisma generate` runs (at install). The database schema itself is created by the
// SQL migrations in cloud/db/migrations, applied by cloud/db/migrate.ts at start.
export default defineConfig({
  schema: 'cloud/db/schema',
});
