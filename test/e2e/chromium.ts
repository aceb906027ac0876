// Debian's Chromium (/usr/bin/chromium) through playwright-core, as the browser tests open reports: headless, and
// with the background-networking flags, since this machine's closed network refuses Chromium's own connections.

import { chromium, type Browser } from 'playwright-core';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}
