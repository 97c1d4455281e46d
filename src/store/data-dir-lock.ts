// One navis per data dir. A second navis on the same directory would share its SQLite store,
// profiles and browser folders, and its start-up sweep would kill the first one's browsers; so
// the first thing a start does is take `navis.lock` in the data dir (created exclusively, holding
// the owner's pid, its process start time and, once listening, its address), and a start that
// finds the lock held by a live navis refuses before touching anything else. A lock whose owner
// is dead (kill -9, a power cut) is stale and taken over.
import fs from 'node:fs';
import path from 'node:path';

interface LockOwner {
  pid: number;
  /** The owner's start time as /proc/<pid>/stat counts it: a reused pid is not the owner. */
  processStart?: string;
  startedAt: string;
  address?: string;
}

/** A start refused because another navis runs on the data dir; its message names that one. */
export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
}

/** Lock files this process holds: a file naming our own pid that is not here is stale. */
const held = new Set<string>();

/** A lock file being written by a start that began this recently is not judged stale. */
const WRITING_GRACE_MS = 5_000;

export class DataDirLock {
  private released = false;

  private constructor(
    readonly file: string,
    private owner: LockOwner,
  ) {}

  /** Takes the data dir's lock, or throws naming the navis that holds it. */
  static acquire(dataDir: string): DataDirLock {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const file = path.join(dataDir, 'navis.lock');
    const owner: LockOwner = { pid: process.pid, processStart: processStart(process.pid), startedAt: now() };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        fs.writeFileSync(file, JSON.stringify(owner), { flag: 'wx', mode: 0o600 });
        held.add(file);
        return new DataDirLock(file, owner);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = readOwner(file);
      if (current === 'unreadable') {
        if (ageMs(file) < WRITING_GRACE_MS) throw inUse(dataDir, undefined);
      } else if (current && isAlive(current, file)) {
        throw inUse(dataDir, current);
      }
      fs.rmSync(file, { force: true }); // stale: its owner is gone
    }
    throw inUse(dataDir, undefined);
  }

  /** Records where this navis listens, for the message a second start shows. */
  setAddress(address: string): void {
    if (this.released) return;
    this.owner = { ...this.owner, address };
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(this.owner), { mode: 0o600 });
    fs.renameSync(temp, this.file);
  }

  /** Gives the data dir up (on close); leaves a lock that is no longer ours alone. */
  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this.file);
    const current = readOwner(this.file);
    if (
      current &&
      current !== 'unreadable' &&
      current.pid === this.owner.pid &&
      current.startedAt === this.owner.startedAt
    )
      fs.rmSync(this.file, { force: true });
  }
}

function inUse(dataDir: string, owner: LockOwner | undefined): DataDirInUseError {
  const who = owner
    ? `another navis (pid ${owner.pid}, ${owner.address ? `listening at ${owner.address}` : 'still starting'}, since ${owner.startedAt})`
    : 'another navis that is starting';
  return new DataDirInUseError(
    `the data dir ${dataDir} is in use by ${who}. Stop that navis first, or give this one a data dir of its own with NAVIS_DATA_DIR.`,
  );
}

function readOwner(file: string): LockOwner | 'unreadable' | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number' && Number.isInteger(parsed.pid) && typeof parsed.startedAt === 'string')
      return parsed as LockOwner;
  } catch {
    // half-written or not ours
  }
  return 'unreadable';
}

/** Whether the lock's owner still runs: its pid is alive and, where /proc tells, started when the owner did. */
function isAlive(owner: LockOwner, file: string): boolean {
  if (owner.pid === process.pid) return held.has(file);
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = processStart(owner.pid);
  return !owner.processStart || !start || start === owner.processStart;
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); undefined off Linux. */
function processStart(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return Infinity;
  }
}

const now = () => new Date().toISOString();
