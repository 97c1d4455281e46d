// What the command line prints: tables and "label: value" blocks for people, navis's own JSON
// for scripts (--json), durations and ages in words. Results go to stdout, everything else
// (progress, errors) to stderr.

/** Prints navis's answer as it came (--json) or the human form. An empty answer (204) prints nothing with --json. */
export function emit(opts: { json?: boolean }, answer: unknown, human: () => string): void {
  if (opts.json) {
    if (answer !== undefined) console.log(JSON.stringify(answer, null, 2));
    return;
  }
  const text = human();
  if (text) console.log(text);
}

export type Column<T> = [header: string, cell: (row: T) => string | number | null | undefined];

/** Columns padded to their widest cell, headers in capitals; `empty` when there are no rows. */
export function table<T>(rows: readonly T[], columns: Array<Column<T>>, empty: string): string {
  if (rows.length === 0) return empty;
  const cells = rows.map((row) => columns.map(([, cell]) => oneLine(cell(row) ?? '-')));
  const headers = columns.map(([header]) => header.toUpperCase());
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...cells.map(line)].join('\n');
}

/** `label: value` lines, labels aligned; rows whose value is undefined are left out. */
export function fields(rows: Array<[label: string, value: string | number | boolean | null | undefined]>): string {
  const shown = rows.filter(([, value]) => value !== undefined);
  const width = Math.max(...shown.map(([label]) => label.length));
  return shown.map(([label, value]) => `${`${label}:`.padEnd(width + 2)}${value === null ? '-' : value}`).join('\n');
}

/** Control characters and newlines out of a table cell, long text cut with an ellipsis. */
export function oneLine(value: string | number, max = 60): string {
  const text = String(value).replace(/[\u0000-\u001F\u007F-\u009F]+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** 45s, 12m, 3h 5m, 2d 4h. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 && s < 600 ? ` ${s % 60}s` : ''}`;
  if (s < 86_400)
    return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)}m` : ''}`;
  return `${Math.floor(s / 86_400)}d${Math.floor((s % 86_400) / 3600) ? ` ${Math.floor((s % 86_400) / 3600)}h` : ''}`;
}

/** "3m ago" for a past ISO time; "-" for none. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  return iso ? `${duration(now - Date.parse(iso))} ago` : '-';
}

/** Compact JSON for one value in a line (a step, a result). */
export const inline = (value: unknown) => JSON.stringify(value);
