#!/usr/bin/env node
// Starts navis in the foreground: read config, build the app, listen, and shut down cleanly on
// SIGINT/SIGTERM (every session ended, profiles saved, no Chromium left behind).
import { buildApp, createLogger } from './app.js';
import { SETTINGS, loadConfig } from './config.js';

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(
      `navis: self-hosted browser automation server\n\nSettings (environment variables):\n${Object.values(SETTINGS)
        .map((name) => `  ${name}`)
        .join('\n')}\n\nSee README.md for defaults.`,
    );
    return;
  }
  const config = loadConfig();
  const log = createLogger(config);
  const navis = await buildApp(config, log);
  let base: string;
  try {
    base = await navis.listen();
  } catch (error) {
    await navis.close().catch(() => {});
    // The key was stored (hashed) before listening failed: printed now, or nobody would ever see it.
    if (navis.generatedAdminKey)
      console.error(
        `The admin API key made on this first start (it works once navis starts; store it now): ${navis.generatedAdminKey}`,
      );
    throw error;
  }

  const lines = [
    '',
    `  navis is running at ${base}`,
    `  API docs:   ${base}/docs`,
    `  Health:     ${base}/healthz`,
    `  Data dir:   ${config.dataDir}`,
  ];
  if (navis.generatedAdminKey) {
    lines.push(`  Admin API key (shown once, store it now): ${navis.generatedAdminKey}`);
  } else if (config.apiKey) {
    lines.push('  API key:    the one in NAVIS_API_KEY');
  } else {
    lines.push('  API key:    the admin key printed at first start (set NAVIS_API_KEY to choose your own)');
  }
  lines.push('  Stop with Ctrl+C.', '');
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: ending sessions and closing browsers');
    const force = setTimeout(() => {
      log.error('shutdown took longer than 30 s; exiting anyway');
      process.exit(1);
    }, 30_000);
    force.unref();
    try {
      await navis.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: NodeJS.ErrnoException) => {
  const hint = error.code === 'EADDRINUSE' ? ' (another program listens there: choose a port with NAVIS_PORT)' : '';
  console.error(`navis could not start: ${error.message}${hint}`);
  process.exit(1);
});
