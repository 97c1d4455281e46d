// Who a browser runs as, and with what environment. When navis runs as root, each browser runs as
// its own unprivileged user id (NAVIS_BROWSER_UIDS, a range of ids no account uses), owning only
// its user-data dir and its session's files: it cannot read navis's store, the vault key, another
// browser's profile or another session's files, and Chromium's own sandbox can stay on. A browser's
// environment is built for it (PATH, HOME in its own dir, display and locale): no NAVIS_* setting,
// no key, nothing else of navis's.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.js';

export interface BrowserIdentity {
  uid: number;
  gid: number;
}

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export class BrowserUsers {
  /** Whether browsers run as their own user ids (navis is root and NAVIS_BROWSER_UIDS is a range). */
  readonly separate: boolean;
  /**
   * Whether Chromium's sandbox is on: only for browsers that do not run as root, and switched off
   * (with a warning) once a launch shows the kernel offers none.
   */
  sandbox: boolean;
  private readonly first: number;
  private readonly last: number;
  private next: number;
  private readonly inUse = new Set<number>();

  constructor(
    private readonly config: Pick<Config, 'browserUids' | 'browserEnv'>,
    private readonly log: Logger,
    isRoot = typeof process.getuid === 'function' && process.getuid() === 0,
  ) {
    const range = config.browserUids.match(/^(\d+)-(\d+)$/);
    this.separate = isRoot && range !== null;
    this.first = range ? Number(range[1]) : 0;
    this.last = range ? Math.max(Number(range[2]), this.first) : 0;
    this.next = this.first;
    this.sandbox = !isRoot || this.separate;
  }

  /** An unused user id for one browser; undefined when browsers run as navis's own user. */
  acquire(): BrowserIdentity | undefined {
    if (!this.separate) return undefined;
    const size = this.last - this.first + 1;
    const busy = uidsWithProcesses();
    for (let tries = 0; tries < size; tries++) {
      const uid = this.next;
      this.next = uid >= this.last ? this.first : uid + 1;
      if (this.inUse.has(uid) || busy.has(uid)) continue;
      this.inUse.add(uid);
      return { uid, gid: uid };
    }
    throw new Error(
      `every user id of NAVIS_BROWSER_UIDS (${this.config.browserUids}) is in use by a browser; widen the range`,
    );
  }

  release(identity: BrowserIdentity | undefined): void {
    if (identity) this.inUse.delete(identity.uid);
  }

  /** Makes `dir` (and, with `recursive`, everything in it) the browser's own. */
  giveTo(dir: string, identity: BrowserIdentity | undefined, opts: { recursive?: boolean } = {}): void {
    if (!identity) return;
    chown(dir, identity);
    if (opts.recursive) {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const child = path.join(dir, entry.name);
        if (entry.isDirectory()) this.giveTo(child, identity, opts);
        else chown(child, identity);
      }
    }
  }

  /**
   * A kept dir (a profile) goes back to navis's own user once its browser is gone: its user id is
   * handed out again later, to any tenant's browser.
   */
  reclaim(dir: string, identity: BrowserIdentity | undefined): void {
    if (!identity || typeof process.getuid !== 'function') return;
    const self = { uid: process.getuid(), gid: process.getgid?.() ?? process.getuid() };
    try {
      this.giveTo(dir, self, { recursive: true });
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, 'could not take a profile dir back from its browser user');
    }
  }

  /** A launch failed because the kernel has no usable sandbox: later launches go without it. */
  sandboxUnavailable(reason: string): void {
    if (!this.sandbox) return;
    this.sandbox = false;
    this.log.warn(
      { reason },
      "Chromium's sandbox is not available on this machine (no user namespaces?); browsers run without it",
    );
  }

  /** The whole environment of a browser whose home is `home` (its user-data dir). */
  env(home: string): Record<string, string> {
    const env: Record<string, string> = {
      ...this.config.browserEnv,
      PATH,
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_CACHE_HOME: path.join(home, '.cache'),
    };
    // File names are UTF-8 whatever the operator's locale: in the C locale Chromium cannot open a
    // file whose name is not ASCII (an uploadFile of "€rates.csv" reached the page as no file).
    if (!/utf-?8/i.test(env.LC_ALL ?? env.LC_CTYPE ?? env.LANG ?? ''))
      env[env.LC_ALL ? 'LC_ALL' : 'LC_CTYPE'] = 'C.UTF-8';
    return env;
  }

  /**
   * With separate users, each browser must reach its dirs under the data dir: the data dir and the
   * dirs that hold browser dirs become enterable by others (0711: not listable), and navis's own
   * files stay its alone (0600). Throws when a parent of the data dir cannot be entered by others.
   */
  prepareDataDir(dataDir: string, browserParents: string[]): void {
    if (!this.separate) return;
    const blocked = ancestors(dataDir).find((dir) => (fs.statSync(dir).mode & 0o001) === 0);
    if (blocked) {
      throw new Error(
        `NAVIS_DATA_DIR ${dataDir} is inside ${blocked}, which other users cannot enter, and browsers run as their own unprivileged users (navis runs as root). Move the data dir somewhere they can reach (e.g. NAVIS_DATA_DIR=/var/lib/navis; move the old one there first to keep its data), or set NAVIS_BROWSER_UIDS=off to run browsers as root (not recommended).`,
      );
    }
    for (const dir of [dataDir, ...browserParents]) fs.chmodSync(dir, 0o711);
    for (const entry of fs.readdirSync(dataDir, { withFileTypes: true })) {
      if (entry.isFile()) fs.chmodSync(path.join(dataDir, entry.name), 0o600);
    }
  }
}

function chown(target: string, identity: BrowserIdentity): void {
  try {
    fs.lchownSync(target, identity.uid, identity.gid);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // a file Chromium removed meanwhile
  }
}

/** Every directory above `dir`, from the root down. */
function ancestors(dir: string): string[] {
  const out: string[] = [];
  for (let current = path.dirname(path.resolve(dir)); ; current = path.dirname(current)) {
    out.unshift(current);
    if (current === path.dirname(current)) return out;
  }
}

/** User ids that own a running process: a browser's id is not handed out again while anything of it runs. */
function uidsWithProcesses(): Set<number> {
  const uids = new Set<number>();
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return uids;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      uids.add(fs.statSync(`/proc/${entry}`).uid);
    } catch {
      // gone meanwhile
    }
  }
  return uids;
}
