// Development aid: `node --import @swc-node/register/esm-register scripts/screenshot.ts URL OUT.png [width]`
// (FULL=0 for the viewport only). Uses the browser suite's Chromium settings.
import { launchChromium } from '../test/browser/browser.js';

const [url, out, width = '1280'] = process.argv.slice(2);
if (!url || !out) throw new Error('usage: screenshot.ts URL OUT.png [width]');
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
await page.goto(url);
await page.screenshot({ path: out, fullPage: process.env.FULL !== '0' });
await browser.close();
