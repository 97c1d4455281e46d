// A Chromium "the user" runs themselves, with a DevTools port, for bring-your-own cdp_url sessions.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface OwnBrowser {
  pid: number;
  /** ws://127.0.0.1:<port>/devtools/browser/<id> */
  wsUrl: string;
  /** http://127.0.0.1:<port> */
  httpUrl: string;
  port: number;
  /** Kills the browser and removes its user-data dir; safe to call twice. */
  kill(): void;
}

export async function startOwnBrowser(): Promise<OwnBrowser> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-own-browser-'));
  const child: ChildProcess = spawn(
    process.env.CHROME_PATH ?? '/usr/bin/chromium',
    [
      '--headless=new',
      '--no-sandbox',
      '--remote-debugging-port=0',
      `--user-data-dir=${userDataDir}`,
      '--no-first-run',
      'about:blank',
    ],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const kill = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    fs.rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  };
  const wsUrl = await new Promise<string>((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = stderr.match(/DevTools listening on (ws:\/\/\S+)/);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`Chromium exited during start (code ${code}): ${stderr}`)));
  });
  const { host, port } = new URL(wsUrl);
  return { pid: child.pid!, wsUrl, httpUrl: `http://${host}`, port: Number(port), kill };
}
