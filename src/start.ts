/**
 * The entry point (`npm start` runs `node dist/start.js`). It checks the Node.js version before anything else
 * loads: the app's static imports are linked before any of main.ts runs, so on an older Node.js a missing export
 * (e.g. node:fs globSync) would stop it with a stack trace instead of this one line. No static imports here.
 */
// Keep in step with "engines" in package.json (test/e2e/startup-anywhere.e2e.ts checks that they agree).
export const REQUIRED_NODE = '22.17';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const [needMajor = 0, needMinor = 0] = REQUIRED_NODE.split('.').map(Number);
if (major < needMajor || (major === needMajor && minor < needMinor)) {
  console.error(
    `Node.js ${process.versions.node} is too old: this app needs Node.js >= ${REQUIRED_NODE}. ` +
      "Start it with `npm start`, which runs the project's own Node.js 24 (installed by `npm ci`).",
  );
  process.exit(1);
} else {
  await import('./main.js');
}
