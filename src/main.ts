#!/usr/bin/env node
// Starts navis in the foreground: read config, build the app, listen, and shut down cleanly on
// SIGINT/SIGTERM (every session ended, profiles saved, no Chromium left behind).
import fs from 'node:fs';
import path from 'node:path';
import { buildApp, createLogger } from './app.js';
import { SETTINGS, loadConfig } from './config.js';

/** The data dir of this start, once the settings are read: start errors name it. */
let dataDir: string | undefined;

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
  dataDir = config.dataDir;
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

/** Why a disk refused what navis asked of it, in words. */
const DISK_REFUSALS: Record<string, string> = {
  EROFS: 'its file system is read-only',
  SQLITE_READONLY: 'its file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOSPC: 'no space is left on its disk',
  SQLITE_FULL: 'no space is left on its disk',
  EDQUOT: 'its disk quota is used up',
};

/** Why the nearest existing folder of `dir` cannot take a new entry (a read-only mount answers ENOENT to mkdir -p). */
function whyNotWritable(dir: string): string | undefined {
  let existing = dir;
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  try {
    fs.accessSync(existing, fs.constants.W_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    return DISK_REFUSALS[code] ?? code;
  }
}

/** What a failed start prints: the cause in words and what to do, never a stack trace. */
function startFailure(error: NodeJS.ErrnoException): string {
  if (error.code === 'EADDRINUSE')
    return `${error.message} (another program listens there: choose a port with NAVIS_PORT)`;
  const code = error.code ?? '';
  const inDataDir =
    dataDir !== undefined && typeof error.path === 'string' && `${error.path}/`.startsWith(`${dataDir}/`);
  const why = DISK_REFUSALS[code] ?? (code === 'ENOENT' && inDataDir && dataDir ? whyNotWritable(dataDir) : undefined);
  if (dataDir && why && (inDataDir || !error.path))
    return `the data dir ${dataDir} cannot be written: ${why} (${error.message}). Point NAVIS_DATA_DIR at a writable directory with free space, or fix this one.`;
  return error.message;
}

main().catch((error: NodeJS.ErrnoException) => {
  console.error(`navis could not start: ${startFailure(error)}`);
  process.exit(1);
});
