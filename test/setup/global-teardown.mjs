import pg from 'pg';

export default async function globalTeardown() {
  // Each Jest project runs this; the first one to run tears everything down.
  if (!process.env.TEST_DATABASE_ADMIN_URL) return;
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_ADMIN_URL });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${process.env.TEST_TEMPLATE_DATABASE} WITH (FORCE)`);
  } finally {
    await client.end();
  }
  await globalThis.embeddedTestDatabase?.stop();
  globalThis.embeddedTestDatabase = undefined;
  delete process.env.TEST_DATABASE_ADMIN_URL;
}
