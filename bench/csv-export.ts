// The CSV export at practice-network scale (see README, Benchmarks):
//   npm run bench:csv          (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bench1m)
// The built app in production mode downloads every session with `Accept: text/csv`, read as fast as this client
// takes it; printed: time to first byte, total time, rows, and the app process's peak RSS (sampled every 20 ms).
import { createBenchUser, rssMb, startBuiltApp, stopServer, table } from './bench-tools.js';

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench1m';
const APP_PORT = 3919;
const stamp = Date.now().toString(36);

interface Download {
  firstByteMs: number;
  totalMs: number;
  rows: number;
  megabytes: number;
  peakRssMb: number;
}

async function download(url: string, token: string, pid: number | undefined): Promise<Download> {
  let peakRssMb = rssMb(pid);
  const sampler = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, rssMb(pid));
  }, 20);
  try {
    const started = performance.now();
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/csv' } });
    if (!response.ok || !response.body)
      throw new Error(`${url} → ${response.status}: ${await response.text()}`);
    let firstByteMs = 0;
    let lines = 0;
    let bytes = 0;
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      firstByteMs ||= performance.now() - started;
      bytes += chunk.length;
      for (const byte of chunk) if (byte === 10) lines++;
    }
    return {
      firstByteMs,
      totalMs: performance.now() - started,
      // Less the header; no field here holds a newline (the export leaves the notes out).
      rows: lines - 1,
      megabytes: bytes / 1024 / 1024,
      peakRssMb,
    };
  } finally {
    clearInterval(sampler);
  }
}

async function main(): Promise<void> {
  const { token } = createBenchUser(
    DATABASE_URL,
    `bench-csv-${stamp}@clinic.example`,
    `${process.pid}-correct-horse-battery-staple`,
  );
  const app = await startBuiltApp(DATABASE_URL, APP_PORT);
  try {
    const idleRssMb = rssMb(app.child.pid);
    // Warmed up by the list and a small export first, so the figures are the export's, not the first request's.
    const auth = { authorization: `Bearer ${token}` };
    await (await fetch(`${app.url}/api/sessions`, { headers: auth })).text();
    await download(`${app.url}/api/sessions?therapist_id=2`, token, app.child.pid);
    console.log(
      `${DATABASE_URL.replace(/\/\/[^@]*@/, '//')}: app RSS ${idleRssMb} MB idle, ${rssMb(app.child.pid)} MB warm`,
    );
    const rows: string[][] = [];
    for (const [name, query] of [
      ['every session (sort by date)', ''],
      ['every session (sort by patient)', '?sort=patient'],
      ['one therapist', '?therapist_id=1'],
    ] as const) {
      const result = await download(`${app.url}/api/sessions${query}`, token, app.child.pid);
      rows.push([
        name,
        result.rows.toLocaleString('en-GB'),
        result.megabytes.toFixed(0),
        (result.firstByteMs / 1000).toFixed(2),
        (result.totalMs / 1000).toFixed(1),
        String(result.peakRssMb),
      ]);
      console.log(rows.at(-1)?.join(' | '));
    }
    console.log(
      `\n${table(['CSV export (Accept: text/csv)', 'rows', 'MB', 'first byte s', 'total s', 'peak RSS MB'], rows)}`,
    );
  } finally {
    await stopServer(app);
  }
}

await main();
