// Debian's Chromium (/usr/bin/chromium) through playwright-core, as the browser tests open reports: headless, and
// with the background-networking flags, since this machine's closed network refuses Chromium's own connections.

import { mkdirSync, rmSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * One browser for a test file, with a fresh output folder: launched before its tests, closed after. Returns the
 * browser's getter (it exists once the file's tests run).
 */
export function browserForFile(out: string): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser!;
}
