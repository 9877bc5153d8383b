// Plain JavaScript on purpose: Jest loads global setup outside its module system, where the TypeScript sources'
// `.js` import specifiers do not resolve. swc-node's ESM loader (the one the npm scripts use) compiles the sources
// here instead. The template database is migrated later, inside the test runtime (test/utils/test-app.ts).
import { createServer } from 'node:net';

export default async function globalSetup() {
  // Each Jest project (e2e, browser) runs this; the first one to run sets the server up for all of them.
  if (process.env.TEST_DATABASE_ADMIN_URL) return;
  if (process.env.DATABASE_URL) {
    process.env.TEST_DATABASE_ADMIN_URL = process.env.DATABASE_URL;
  } else {
    await import('@swc-node/register/esm-register');
    const { startEmbeddedPostgres } = await import('../../src/database/embedded-postgres.ts');
    globalThis.embeddedTestDatabase = await startEmbeddedPostgres({
      dataDir: '.data/test-pg',
      port: await freePort(),
      database: 'postgres',
    });
    process.env.TEST_DATABASE_ADMIN_URL = globalThis.embeddedTestDatabase.url;
  }
  // One template per run, so concurrent runs against one server never share or drop each other's databases.
  process.env.TEST_TEMPLATE_DATABASE = `therapy_test_template_${process.pid}`;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
