// Headless Debian Chromium through playwright-core, strictly local: every request that does not
// go to loopback is aborted (the Playground UI asks a CDN for fonts; that is cosmetic).
const { chromium } = require('playwright-core');
const fs = require('fs');

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const LOOPBACK_ONLY = /^(?!(https?|wss?):\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?\/)(?!data:|about:|blob:).*/;

function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const found = candidates.find(p => fs.existsSync(p));
  if (!found) throw new Error('no Chromium found (set CHROMIUM_PATH or run scripts/e2e-setup.sh)');
  return found;
}

async function launch({ width = 1400, height = 900 } = {}) {
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width, height }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
  const blocked = [];
  await context.route(LOOPBACK_ONLY, route => { blocked.push(route.request().url()); return route.abort(); });
  return { browser, context, blocked };
}

module.exports = { launch, chromiumPath, CHROMIUM_ARGS };
