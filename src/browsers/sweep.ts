// After a crash of navis itself, Chromium processes it launched may still run. Every browser navis
// launches has its user-data dir under the data dir, so they are found by command line and killed.
import fs from 'node:fs';

export function killLeftoverBrowsers(dataDir: string): number[] {
  if (process.platform !== 'linux') return [];
  const marker = `--user-data-dir=${dataDir}/`;
  const killed: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmdline.split('\0').some((arg) => arg.startsWith(marker))) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return killed;
}
