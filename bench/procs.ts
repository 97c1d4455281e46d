// What the soak and density benches read about processes from /proc (Linux): navis's Chromium
// processes by their user-data dir, a browser's whole process tree, its memory (PSS, RSS) and open
// file descriptors, and how much a directory holds on disk. No dependency on navis itself.
import fs from 'node:fs';
import path from 'node:path';

export interface Proc {
  pid: number;
  ppid: number;
  /** Chromium's --type= (renderer, zygote, gpu-process, utility); '' for a browser's main process. */
  type: string;
  args: string[];
}

/** Every live process (zombies left out): pid, parent, argv. */
export function processes(): Proc[] {
  const out: Proc[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z') continue;
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      const type = args.find((a) => a.startsWith('--type='))?.slice('--type='.length) ?? '';
      out.push({ pid: Number(entry), ppid: Number(ppid), type, args });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Chromium processes (helpers included) whose --user-data-dir lies under `dir`. */
export function chromiumUnder(dir: string, procs = processes()): Proc[] {
  const marker = `--user-data-dir=${path.resolve(dir)}/`;
  return procs.filter((p) => p.args.some((a) => a.startsWith(marker)));
}

/** The main process of every browser under `dir` (the one without a --type). */
export function browsersUnder(dir: string, procs = processes()): Proc[] {
  return chromiumUnder(dir, procs).filter((p) => p.type === '');
}

/** `pid` and all its descendants. */
export function processTree(pid: number, procs = processes()): Proc[] {
  const children = new Map<number, Proc[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const root = procs.find((p) => p.pid === pid);
  const tree = root ? [root] : [];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i].pid) ?? []));
  return tree;
}

/** A field of /proc/<pid>/smaps_rollup or /proc/<pid>/status, in KiB (0 once the process is gone). */
function kib(file: string, field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(file, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Proportional set size: private pages plus a share of every shared page (what the process really costs). */
export const pssKiB = (pid: number) => kib(`/proc/${pid}/smaps_rollup`, 'Pss');
export const rssKiB = (pid: number) => kib(`/proc/${pid}/status`, 'VmRSS');

/** Open file descriptors of `pid` (-1 when they cannot be read). */
export function fdCount(pid: number): number {
  try {
    return fs.readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return -1;
  }
}

/** Bytes on disk (allocated blocks) of everything under `dir`; files that vanish meanwhile count 0. */
export function diskBytes(dir: string): number {
  let total = 0;
  const walk = (p: string) => {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      return;
    }
    total += st.blocks * 512;
    if (!st.isDirectory()) return;
    let names: string[];
    try {
      names = fs.readdirSync(p);
    } catch {
      return;
    }
    for (const name of names) walk(path.join(p, name));
  };
  walk(dir);
  return total;
}

export const MiB = 1024 * 1024;
