// The benchmark at practice-network scale, side by side in one run (see README, Benchmarks):
//   npm run bench:scale          (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bench1m)
// The database is filled beforehand with `npm run db:seed -- --therapists 200 --patients 20000 --sessions 1000000`.
// The app runs built and in production mode as its own process, measured as its clients use it: an API token for
// /api, a signed-in receptionist's cookie for the pages. The bare server (bench/bare-server.ts) runs the same list
// SQL and returns the same JSON; pgbench runs that SQL straight against PostgreSQL.
import { isDeepStrictEqual } from 'node:util';
import { BARE_PORT_ENV, listRequests, type ListRequest } from './bare-queries.js';
import {
  createBenchUser,
  pgbenchPath,
  runLoad,
  runPgbench,
  startBuiltApp,
  startServer,
  stopServer,
  table,
  type LoadResult,
  type ServerProcess,
} from './bench-tools.js';

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench1m';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 16;
const APP_PORT = 3917;
const BARE_PORT = 3918;
const PASSWORD = `${process.pid}-correct-horse-battery-staple`;
const stamp = Date.now().toString(36);

/** Signs in through the form as a browser does; returns the session cookie and the CSRF token. */
async function signIn(base: string, email: string): Promise<{ cookie: string; csrf: string }> {
  const cookieOf = (response: Response): string =>
    response.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
  const csrfIn = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const form = await fetch(`${base}/login`);
  const formCookie = cookieOf(form);
  const signedIn = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: formCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password: PASSWORD, _csrf: csrfIn(await form.text()) }),
  });
  if (signedIn.status !== 303) throw new Error(`sign-in answered ${signedIn.status}`);
  const cookie = cookieOf(signedIn) || formCookie;
  const page = await fetch(`${base}/login`, { headers: { cookie } });
  return { cookie, csrf: csrfIn(await page.text()) };
}

async function json(
  base: string,
  token: string,
  method: string,
  path: string,
  body: unknown,
): Promise<unknown> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${await response.text()}`);
  return response.json();
}

/** A therapist of its own working at weekends, when no seeded patient has a session: bookings never collide. */
async function bookingBody(base: string, token: string): Promise<() => string> {
  const therapist = (await json(base, token, 'POST', '/api/therapists', {
    name: `Bench Therapist ${stamp}`,
    email: `bench-${stamp}@clinic.example`,
  })) as { id: number };
  await json(base, token, 'PUT', `/api/therapists/${therapist.id}/working-hours`, {
    intervals: [6, 7].map((weekday) => ({ weekday, start: '07:00', end: '21:00' })),
  });
  const saturday = new Date();
  saturday.setUTCDate(saturday.getUTCDate() + ((6 - saturday.getUTCDay() + 7) % 7) + 7);
  saturday.setUTCHours(0, 0, 0, 0);
  let slot = 0;
  return () => {
    const weekend = Math.floor(slot / 28);
    const day = Math.floor((slot % 28) / 14);
    const hour = 7 + (slot % 14);
    slot++;
    const start = new Date(saturday.getTime() + ((weekend * 7 + day) * 24 + hour) * 3_600_000);
    return JSON.stringify({
      therapist_id: therapist.id,
      patient_id: 1 + (slot % 20_000),
      date: start.toISOString(),
    });
  };
}

function fmt(result: LoadResult): string[] {
  return [
    result.rps.toFixed(0),
    result.p50.toFixed(1),
    result.p95.toFixed(1),
    result.p99.toFixed(1),
    result.failed ? `${result.failed} (${result.statuses})` : '0',
  ];
}

const ratio = (a: number, b: number): string => (b > 0 ? (a / b).toFixed(2) : '–');

async function main(): Promise<void> {
  const { token } = createBenchUser(DATABASE_URL, `bench-desk-${stamp}@clinic.example`, PASSWORD);
  const servers: ServerProcess[] = [];
  try {
    const app = await startBuiltApp(DATABASE_URL, APP_PORT);
    servers.push(app);
    const bare = await startServer(
      'bare',
      [process.execPath, '--import', '@swc-node/register/esm-register', 'bench/bare-server.ts'],
      { DATABASE_URL, [BARE_PORT_ENV]: String(BARE_PORT) },
      BARE_PORT,
      '/ready',
    );
    servers.push(bare);
    const auth = { authorization: `Bearer ${token}` };
    const requests = await listRequests(DATABASE_URL);
    await checkSameJson(app.url, bare.url, auth, requests);
    const pgbench = pgbenchPath();
    console.log(
      `${SECONDS} s per run, ${CONNECTIONS} connections, ${DATABASE_URL.replace(/\/\/[^@]*@/, '//')}`,
    );

    const rows: string[][] = [];
    const appRps = new Map<string, LoadResult>();
    for (const request of requests) {
      const appResult = await runLoad({
        url: app.url,
        path: request.next,
        seconds: SECONDS,
        connections: CONNECTIONS,
        headers: auth,
        pid: app.child.pid,
      });
      const bareResult = await runLoad({
        url: bare.url,
        path: request.next,
        seconds: SECONDS,
        connections: CONNECTIONS,
        pid: bare.child.pid,
      });
      const pg = pgbench ? runPgbench(pgbench, DATABASE_URL, request.pgbench, SECONDS, CONNECTIONS) : null;
      appRps.set(request.name, appResult);
      rows.push([
        `API ${request.name}`,
        ...fmt(appResult),
        bareResult.rps.toFixed(0),
        pg ? pg.rps.toFixed(0) : '–',
        ratio(appResult.rps, bareResult.rps),
        pg ? ratio(appResult.rps, pg.rps) : '–',
        String(appResult.peakRssMb),
      ]);
      console.log(rows.at(-1)?.join(' | '));
    }

    const session = await signIn(app.url, `bench-desk-${stamp}@clinic.example`);
    const filtered = requests.find((request) => request.name.startsWith('filtered'));
    const pages: { name: string; path: string | (() => string); htmx?: boolean; compareTo?: ListRequest }[] =
      [
        {
          name: '/sessions htmx fragment (filtered)',
          path: () => pagePath(filtered),
          htmx: true,
          compareTo: filtered,
        },
        { name: '/sessions full page (filtered)', path: () => pagePath(filtered), compareTo: filtered },
        { name: '/sessions full page (default)', path: '/sessions' },
        { name: '/calendar (everyone, this week)', path: '/calendar' },
        { name: '/day (everyone, today)', path: '/day' },
      ];
    for (const page of pages) {
      const result = await runLoad({
        url: app.url,
        path: page.path,
        seconds: SECONDS,
        connections: CONNECTIONS,
        headers: { cookie: session.cookie, ...(page.htmx ? { 'HX-Request': 'true' } : {}) },
        pid: app.child.pid,
      });
      const bareRps = page.compareTo
        ? rows.find((row) => row[0] === `API ${page.compareTo?.name}`)?.[6]
        : undefined;
      rows.push([
        page.name,
        ...fmt(result),
        bareRps ?? '–',
        '–',
        bareRps ? ratio(result.rps, Number(bareRps)) : '–',
        '–',
        String(result.peakRssMb),
      ]);
      console.log(rows.at(-1)?.join(' | '));
    }

    const year = new Date().getUTCFullYear() - 1;
    const others: {
      name: string;
      path: string;
      method?: 'POST';
      body?: () => string;
      connections?: number;
    }[] = [
      {
        name: `/api/stats (${year}, by month)`,
        path: `/api/stats?from=${year}-01-01&to=${year}-12-31&group_by=month`,
      },
      {
        name: 'POST /api/sessions',
        path: '/api/sessions',
        method: 'POST',
        body: await bookingBody(app.url, token),
      },
      { name: 'API default list, 200 connections', path: '/api/sessions', connections: 200 },
    ];
    for (const other of others) {
      const result = await runLoad({
        url: app.url,
        path: other.path,
        seconds: SECONDS,
        connections: other.connections ?? CONNECTIONS,
        headers: auth,
        method: other.method,
        body: other.body,
        pid: app.child.pid,
      });
      rows.push([other.name, ...fmt(result), '–', '–', '–', '–', String(result.peakRssMb)]);
      console.log(rows.at(-1)?.join(' | '));
    }

    console.log();
    console.log(
      table(
        [
          'request',
          'app req/s',
          'p50 ms',
          'p95 ms',
          'p99 ms',
          'failed',
          'bare req/s',
          'pgbench tx/s',
          'app ÷ bare',
          'app ÷ pgbench',
          'app peak RSS MB',
        ],
        rows,
      ),
    );
    const first = appRps.get('default first page')?.p50;
    const deep = appRps.get('deep page (cursor at row 50 000)')?.p50;
    if (first && deep) console.log(`\ndeep page p50 ÷ first page p50: ${ratio(deep, first)}`);
  } finally {
    for (const server of servers.reverse()) await stopServer(server);
  }
}

/** The page with the same filters as an API list request. */
function pagePath(request: ListRequest | undefined): string {
  if (!request) return '/sessions';
  return `/sessions${request.next().replace(/^\/api\/sessions/, '')}`;
}

/** The bare server is only a fair reference if it answers the same: each list request compared once. */
async function checkSameJson(
  appUrl: string,
  bareUrl: string,
  headers: Record<string, string>,
  requests: readonly ListRequest[],
): Promise<void> {
  for (const request of requests) {
    const path = request.next();
    const [fromApp, fromBare] = await Promise.all([
      fetch(`${appUrl}${path}`, { headers }).then((response) => response.json()),
      fetch(`${bareUrl}${path}`).then((response) => response.json()),
    ]);
    if (!isDeepStrictEqual(fromApp, fromBare)) {
      throw new Error(
        `The bare server answers ${path} differently:\napp:  ${JSON.stringify(fromApp).slice(0, 600)}\n` +
          `bare: ${JSON.stringify(fromBare).slice(0, 600)}`,
      );
    }
  }
}

await main();
