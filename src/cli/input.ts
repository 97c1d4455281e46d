// What the command line reads besides its arguments: JSON bodies from a file or stdin, repeated
// `k=v` options, and secrets (a credential's password) from a file, a pipe or a prompt that does
// not echo. A secret never goes through argv, where `ps` and shell history would keep it.
import fs from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { UsageError } from './client.js';

/** Everything on stdin, as text. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function readFile(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`could not read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** The JSON in `file`, or on stdin for `-`. */
export async function readJson(file: string, what: string): Promise<unknown> {
  const text = file === '-' ? await readStdin() : readFile(file, what);
  const where = file === '-' ? `${what} on stdin` : `${what} ${file}`;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${where} is not valid JSON: ${(error as Error).message}`);
  }
}

/** commander's collector for a repeated `--opt k=v`: the pairs in order, a bad one refused as a usage error. */
export function collectPair(value: string, previous: Array<[string, string]> = []): Array<[string, string]> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`expected name=value, got '${value}'`);
  return [...previous, [value.slice(0, at), value.slice(at + 1)]];
}

/** commander's collector for a repeated option: every value in order. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** commander's parser for a whole number option. */
export function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a whole number, got '${value}'`);
  return Number.parseInt(value, 10);
}

/** commander's parser for `a.example,b.example`: the list ('' is the empty list). */
export const hostList = (value: string) =>
  value
    .split(',')
    .map((host) => host.trim())
    .filter(Boolean);

/** commander's parser for a limit: a whole number, or `none` for the server's own (sent as null; commander turns a parsed null into ''). */
export const limitOrNone = (value: string): number | 'none' => (value === 'none' ? 'none' : wholeNumber(value));

/** commander's parser for a time (`2026-01-01`, `2026-01-01T12:00:00Z`), sent as ISO 8601. */
export function isoTime(value: string): string {
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new InvalidArgumentError(`expected a date or time such as 2026-01-01, got '${value}'`);
  return new Date(at).toISOString();
}

/**
 * A secret: from `file` when given, else from stdin when it is a pipe (`… | navis credentials
 * create`), else asked for on the terminal without echo. One trailing newline is dropped.
 */
export async function readSecret(what: string, file?: string): Promise<string> {
  const text = file
    ? readFile(file, `the ${what} file`)
    : process.stdin.isTTY
      ? await promptHidden(what)
      : await readStdin();
  const value = text.replace(/\r?\n$/, '');
  if (!value) throw new UsageError(`the ${what} is empty`);
  return value;
}

/** Asks on stderr and reads one line from the terminal in raw mode, echoing nothing. */
function promptHidden(what: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(`${what[0].toUpperCase()}${what.slice(1)} (not shown): `);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return (finish(), resolve(value));
        if (ch === '\u0003' || ch === '\u0004') return (finish(), reject(new UsageError(`no ${what} given`)));
        value = ch === '\u007f' || ch === '\b' ? value.slice(0, -1) : value + ch;
      }
    };
    stdin.on('data', onData);
  });
}
