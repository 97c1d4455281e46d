// One Chromium process: launched with its own user-data dir, window size, DevTools port (for
// clients) and DevTools pipe (for navis's own Playwright connection), watched until it exits, and
// closed gracefully (so cookies reach the disk) or killed.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { NavisError } from '../errors.js';
import type { Logger } from 'pino';
import { CdpConnection } from './cdp.js';
import { DownloadKeeper } from './downloads.js';
import { PipeTransport } from './pipe.js';
import { connectPlaywright, connectPlaywrightOverPipe, type Browser } from './playwright.js';
import type { ScreenKeeper } from './screen.js';
import type { BrowserIdentity } from './users.js';
import type { EgressProxy } from '../network/egress-proxy.js';

export interface LaunchOptions {
  executablePath: string;
  userDataDir: string;
  /** Remove userDataDir once the browser is gone (pool and throw-away copies). */
  removeUserDataDir: boolean;
  width: number;
  height: number;
  headless: boolean;
  timeoutMs: number;
  /** The browser's whole environment (users.ts): nothing of navis's own. */
  env: Record<string, string>;
  /** The user id it runs as; undefined for navis's own. */
  identity?: BrowserIdentity;
  /** Chromium's sandbox (off when the browser runs as root or the kernel has none). */
  sandbox: boolean;
  /** The egress guard every connection of the browser goes through (network/egress-proxy.ts). */
  proxyServer?: string;
}

/** Flags for a quiet, automation-friendly Chromium on a machine without outside network. */
export function chromiumArgs(
  opts: Pick<LaunchOptions, 'userDataDir' | 'width' | 'height' | 'headless' | 'sandbox' | 'proxyServer'>,
): string[] {
  const args = [
    `--user-data-dir=${opts.userDataDir}`,
    '--remote-debugging-port=0',
    '--remote-debugging-address=127.0.0.1',
    '--remote-debugging-pipe',
    `--window-size=${opts.width},${opts.height}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--disable-quic',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-features=Translate,MediaRouter,OptimizationHints',
    // As Playwright launches it: screenshots ~14 ms faster (bench/tasks).
    '--enable-features=CDPScreenshotNewSurface',
    // As Playwright launches it: a page restored from the back/forward cache fires none of the
    // navigation events that Playwright's goBack/goForward (navis's and clients') wait for.
    '--disable-back-forward-cache',
    '--password-store=basic',
    '--use-mock-keychain',
    '--metrics-recording-only',
    '--mute-audio',
  ];
  if (opts.headless) args.push('--headless=new', '--hide-scrollbars');
  if (!opts.sandbox) args.push('--no-sandbox');
  if (opts.proxyServer) {
    // Every request through the guard: <-loopback> removes Chromium's implicit bypass of
    // localhost, and WebRTC may not send UDP around the proxy.
    args.push(
      `--proxy-server=${opts.proxyServer}`,
      '--proxy-bypass-list=<-loopback>',
      '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
    );
  }
  args.push('about:blank');
  return args;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** true when navis asked for the exit (close/kill), false when the browser died on its own. */
  expected: boolean;
}

export class BrowserProcess extends EventEmitter {
  /** Keeps pages at the session's screen size; attached by the launcher. */
  screenKeeper: ScreenKeeper | undefined;
  /** The egress guard in front of the browser; its route says whose browser it is (set by the launcher). */
  egress: EgressProxy | undefined;
  private downloads: DownloadKeeper | undefined;
  private exitInfo: ExitInfo | undefined;
  private closing = false;
  private readonly exitedPromise: Promise<ExitInfo>;
  private readonly pipe: PipeTransport;
  private playwrightConnection: Promise<Browser> | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly wsEndpoint: string,
    readonly options: LaunchOptions,
  ) {
    super();
    this.pipe = new PipeTransport(child.stdio[3] as Writable, child.stdio[4] as Readable);
    this.exitedPromise = new Promise((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null) => {
        if (this.exitInfo) return;
        this.exitInfo = { code, signal, expected: this.closing };
        this.killGroup();
        this.downloads?.close();
        if (options.removeUserDataDir)
          fs.rm(options.userDataDir, { recursive: true, force: true, maxRetries: 3 }, () => {});
        this.emit('exit', this.exitInfo);
        resolve(this.exitInfo);
      };
      if (child.exitCode !== null || child.signalCode !== null) done(child.exitCode, child.signalCode);
      else child.once('exit', done);
    });
  }

  static async launch(options: LaunchOptions): Promise<BrowserProcess> {
    fs.mkdirSync(options.userDataDir, { recursive: true, mode: 0o700 });
    clearSingletonLocks(options.userDataDir);
    const child = spawn(options.executablePath, chromiumArgs(options), {
      detached: true, // own process group, so renderers and helpers go with it
      env: options.env,
      ...(options.identity ? { uid: options.identity.uid, gid: options.identity.gid } : {}),
      // fd 3 and 4: the DevTools pipe (Chromium reads commands from 3, writes to 4).
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    });
    try {
      const wsEndpoint = await readDevToolsEndpoint(child, options.timeoutMs);
      return new BrowserProcess(child, wsEndpoint, options);
    } catch (error) {
      killProcessGroup(child.pid);
      if (options.removeUserDataDir) fs.rmSync(options.userDataDir, { recursive: true, force: true });
      throw error;
    }
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The port of the browser's DevTools endpoint (on 127.0.0.1). */
  get devtoolsPort(): number {
    return Number(new URL(this.wsEndpoint).port);
  }

  /** The user id the browser runs as; undefined when it is navis's own. */
  get identity(): BrowserIdentity | undefined {
    return this.options.identity;
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  exited(): Promise<ExitInfo> {
    return this.exitedPromise;
  }

  /**
   * navis's own Playwright connection, made on first use over the DevTools pipe and kept until the
   * browser exits. Callers share it and never close it (the process ends it). Should it have been
   * closed anyway, the next call connects over the WebSocket instead.
   */
  playwright(timeoutMs = 15_000): Promise<Browser> {
    if (!this.playwrightConnection) {
      const connecting = this.pipe.usable
        ? connectPlaywrightOverPipe(this.pipe, timeoutMs)
        : connectPlaywright(this.wsEndpoint, timeoutMs);
      this.playwrightConnection = connecting;
      const forget = () => {
        if (this.playwrightConnection === connecting) this.playwrightConnection = undefined;
      };
      connecting.then((browser) => browser.once('disconnected', forget), forget);
    }
    return this.playwrightConnection;
  }

  /**
   * The browser now serves a session: its downloads go into the session's files folder (which the
   * browser's user owns), up to `maxBytes` in all, and nowhere else.
   */
  async downloadInto(folder: string, maxBytes: number, log: Logger): Promise<void> {
    this.pipe.downloadFolder = folder;
    this.downloads?.close();
    this.downloads = await DownloadKeeper.start(this.wsEndpoint, folder, maxBytes, log);
    if (this.exitInfo) this.downloads.close();
  }

  /**
   * Asks Chromium to quit through CDP (it then writes cookies and storage to its user-data dir),
   * and kills it if it has not exited within `timeoutMs`.
   */
  async close(timeoutMs = 5000): Promise<void> {
    if (this.exitInfo) return;
    this.closing = true;
    try {
      const cdp = await CdpConnection.connect(this.wsEndpoint, 2000);
      cdp.send('Browser.close', {}, undefined, timeoutMs).catch(() => {});
      await Promise.race([this.exitedPromise, delay(timeoutMs)]);
      cdp.close();
    } catch {
      // Could not talk to it: fall through to kill.
    }
    if (!this.exitInfo) this.kill();
    await this.exitedPromise;
  }

  /** Immediate SIGKILL of the browser and all its helper processes. */
  kill(): void {
    this.closing = true;
    this.killGroup();
  }

  private killGroup(): void {
    killProcessGroup(this.child.pid);
  }
}

function killProcessGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

/** A crashed Chromium leaves Singleton* links behind that make the next launch refuse the profile. */
function clearSingletonLocks(userDataDir: string): void {
  for (const name of ['SingletonLock', 'SingletonSocket', 'SingletonCookie']) {
    fs.rmSync(`${userDataDir}/${name}`, { force: true });
  }
}

function readDevToolsEndpoint(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => finish(new Error(`Chromium did not start within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = stderr.match(/DevTools listening on (ws:\/\/\S+)/);
      if (match) finish(undefined, match[1]);
      if (stderr.length > 64 * 1024) stderr = stderr.slice(-16 * 1024);
    };
    const onExit = (code: number | null, signal: string | null) =>
      finish(new Error(`Chromium exited during start (code ${code}, signal ${signal})`));
    const onError = (err: Error) => finish(err);
    function finish(error?: Error, endpoint?: string) {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      // Keep draining stderr so a chatty Chromium never blocks on a full pipe.
      child.stderr?.resume();
      if (endpoint) return resolve(endpoint);
      const tail = stderr.trim().split('\n').slice(-5).join('\n');
      reject(
        new NavisError(
          'BROWSER_LAUNCH_FAILED',
          `Could not launch Chromium: ${error!.message}${tail ? `\n${tail}` : ''}`,
        ),
      );
    }
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}
