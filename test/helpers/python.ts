// Runs python3 for a test: asynchronously (execFile, never execFileSync), because the navis the
// script calls runs in the test's own process and must keep answering while the script waits.
import { execFile } from 'node:child_process';

export interface PythonRun {
  stdout: string;
  stderr: string;
  /** 0 when the script succeeded; its exit code (or 1) otherwise. */
  status: number;
}

/** `args` as for the python3 command line (`['-c', code]` or `[file, ...argv]`); `env` is added to this process's. */
export function runPython(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<PythonRun> {
  return new Promise((resolve) => {
    execFile(
      'python3',
      args,
      // No __pycache__ written into the tree.
      {
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env },
        encoding: 'utf8',
        timeout: timeoutMs,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolve({ stdout, stderr, status: error ? (typeof code === 'number' ? code : 1) : 0 });
      },
    );
  });
}
