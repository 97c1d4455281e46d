// `navis task` (typed actions, POST /browser/sessions/{id}/tasks) and `navis act` (a
// natural-language action, POST /public/single-actions/run-action): work on a session's page.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { NavisAnswered, NavisClient, segment, type ClientOptions, type WithServer } from './client.js';
import { collect, collectPair, readJson } from './input.js';
import { emit, fields, inline, oneLine } from './output.js';

interface StepLogEntry {
  index: number | null;
  type: string;
  status: 'ok' | 'failed';
  durationMs: number;
  detail?: string;
  error?: string;
}

interface TaskAnswer {
  url: string;
  screenshot?: string;
  pdf?: string;
  content?: { html: string; url: string };
  actionResults: Array<Record<string, unknown>>;
  stepLog: StepLogEntry[];
}

interface ActAnswer {
  success: boolean;
  result: string;
  error?: string;
  credits: number;
  used_cache: boolean;
  set_cache: boolean;
  cache_failed: boolean;
  cache_detail?: string;
  session_id: string;
  steps: string[];
}

/** One line per step: which action, ok or failed, how long, what it did or why it failed. */
function stepLines(log: StepLogEntry[]): string {
  return log
    .map((s) => {
      const what = s.index === null ? 'url' : `[${s.index}]`;
      const ms = `${Math.round(s.durationMs)} ms`.padStart(8);
      return `  ${what.padEnd(5)} ${s.type.padEnd(12)} ${s.status.padEnd(6)} ${ms}  ${oneLine(s.error ?? s.detail ?? '', 100)}`;
    })
    .join('\n');
}

/** The task's artifacts as files in `dir`: screenshot.png, page.pdf, content.html. */
function saveArtifacts(answer: TaskAnswer, dir: string): string[] {
  const files: Array<[string, Buffer | string | undefined]> = [
    ['screenshot.png', answer.screenshot && Buffer.from(answer.screenshot, 'base64')],
    ['page.pdf', answer.pdf && Buffer.from(answer.pdf, 'base64')],
    ['content.html', answer.content?.html],
  ];
  fs.mkdirSync(dir, { recursive: true });
  return files.flatMap(([name, data]) => {
    if (data === undefined) return [];
    fs.writeFileSync(path.join(dir, name), data);
    return [path.join(dir, name)];
  });
}

function describeTask(answer: TaskAnswer, saved: string[]): string {
  const lines = [`Task done on ${answer.url}`, stepLines(answer.stepLog)];
  const results = answer.actionResults.flatMap((r, i) =>
    Object.keys(r).length ? [`  [${i}] ${oneLine(inline(r), 120)}`] : [],
  );
  if (results.length) lines.push('Results:', ...results);
  const artifacts = (['screenshot', 'pdf', 'content'] as const).filter((k) => answer[k] !== undefined);
  if (artifacts.length && !saved.length)
    lines.push(`Artifacts: ${artifacts.join(', ')} (--out <dir> saves them, --json prints them)`);
  lines.push(...saved.map((file) => `Wrote ${file}`));
  return lines.join('\n');
}

function cacheWords(answer: ActAnswer, cacheId?: string): string {
  if (!cacheId) return 'not used (no --id)';
  if (answer.cache_failed)
    return `cached steps failed (${answer.cache_detail ?? 'no detail'}); planned again${answer.set_cache ? ', cache repaired' : ''}`;
  if (answer.used_cache) return `replayed '${cacheId}' (no planner call)`;
  return answer.set_cache ? `planned, stored as '${cacheId}'` : 'planned, not stored';
}

/** What the action did; a failure's own message is left to the error line. */
function describeAct(answer: ActAnswer, cacheId?: string): string {
  return [
    fields([
      ['done', answer.success ? answer.result : undefined],
      ['session', answer.session_id],
      ['cache', cacheWords(answer, cacheId)],
      ['credits', answer.credits],
    ]),
    ...(answer.steps.length ? ['steps:', ...answer.steps.map((step, i) => `  ${i + 1}. ${step}`)] : []),
  ].join('\n');
}

export function runCommands(program: Command, withServer: WithServer): void {
  withServer(program.command('task <session> <file>'))
    .description('run typed actions on a session: <file> holds the task body as JSON, - reads it from stdin')
    .option('--out <dir>', 'save the screenshot, PDF and HTML the task asked for into this folder')
    .addHelpText(
      'after',
      `\nExample task file:\n  {"url": "https://example.com", "actions": [{"type": "click", "selector": "a"}], "screenshot": {}}\nAction types and fields: README "Run Task", or /docs on the server.`,
    )
    .action(async (session: string, file: string, opts: ClientOptions & { out?: string }) => {
      const body = await readJson(file, 'the task file');
      let answer: TaskAnswer;
      try {
        answer = await new NavisClient(opts).json<TaskAnswer>(
          'POST',
          `/browser/sessions/${segment(session)}/tasks`,
          body,
        );
      } catch (error) {
        const log = error instanceof NavisAnswered && (error.body as { stepLog?: StepLogEntry[] })?.stepLog;
        if (log && log.length) console.error(`Step log:\n${stepLines(log)}`);
        throw error;
      }
      const saved = opts.out ? saveArtifacts(answer, opts.out) : [];
      emit(opts, answer, () => describeTask(answer, saved));
    });

  withServer(program.command('act <instruction>'))
    .description('run a natural-language action ("click Sign in, then type {{q}} into Search")')
    .option('--session <id>', 'session to act in (default: a new 10-minute session, named in the answer)')
    .option('--id <cacheId>', 'step cache id: the steps that worked are stored, and replayed next time')
    .option('--var <name=value>', 'value for {{name}} in the instruction (repeatable)', collectPair)
    .option(
      '--secret <name>',
      'a variable that is a secret: never cached, shown or sent in a URL (repeatable)',
      collect,
    )
    .option('--no-cache', 'do not store (or repair) the cached steps for --id')
    .action(
      async (
        instruction: string,
        opts: ClientOptions & {
          session?: string;
          id?: string;
          var?: Array<[string, string]>;
          secret?: string[];
          cache: boolean;
        },
      ) => {
        const body = {
          action: instruction,
          session_id: opts.session,
          id: opts.id,
          variables: opts.var ? Object.fromEntries(opts.var) : undefined,
          secret_variables: opts.secret,
          set_cache: opts.cache ? undefined : false,
        };
        const answer = await new NavisClient(opts).json<ActAnswer>('POST', '/public/single-actions/run-action', body);
        if (opts.json || answer.success) emit(opts, answer, () => describeAct(answer, opts.id));
        else console.error(describeAct(answer, opts.id));
        if (!answer.success) throw new Error(`the action failed: ${answer.error ?? answer.result}`);
      },
    );
}
