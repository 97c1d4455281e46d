// The recent runs of each session (tasks and natural-language actions), for a person looking at
// the session afterwards (GET /browser/sessions/{id}/runs, the dashboard's session page): what ran,
// how each step went, and a small picture of the page the run left.
//
// Kept in memory, bounded, gone at restart: it is a window onto recent work, not a record (usage
// and the step cache are the records), and sessions themselves end with the process. The last
// MAX_RUNS runs of the last MAX_SESSIONS sessions that ran something; only the newest
// SCREENSHOT_RUNS of a session keep their picture (a 320 px wide JPEG of at most 48 kB), so the
// whole history stays under about 50 MB. What a run keeps never holds a secret value: the services
// describe their runs after redacting them (tasks/service.ts, agent/service.ts), step logs hold no
// typed values, URLs are kept without their query and fragment (where tokens travel), and a run
// that handled secrets (a login, a secret variable) keeps no picture.
import { randomUUID } from 'node:crypto';
import type { Page } from '../browsers/playwright.js';
import { withDeadline } from '../browsers/deadline.js';
import { pageSession } from '../actions/page-session.js';
import { toNavisError } from '../errors.js';

export type RunKind = 'task' | 'action';

export interface RunStep {
  /** Tasks: `url` or `actions[2] (click)`; natural-language actions: what the step did, in words. */
  name: string;
  status: 'ok' | 'failed';
  durationMs: number | null;
  detail?: string;
  error?: string;
}

/** How a run ended, as the service that ran it describes it (redacted). */
export interface RunOutcome {
  success: boolean;
  steps: RunStep[];
  error?: string;
  /** Natural-language actions: the answer's result. */
  result?: string;
  /** Natural-language actions with an `id`: what the step cache did. */
  cache?: { id: string; used: boolean; failed: boolean; stored: boolean };
  credits?: number;
}

export interface RunRecord extends RunOutcome {
  id: string;
  kind: RunKind;
  /** Tasks: the action types; natural-language actions: the instruction as written ({{variables}} unfilled). */
  title: string;
  startedAt: string;
  durationMs: number;
  /** The page afterwards: origin and path only. */
  url: string | null;
  /** Base64 JPEG of the page just after the run, 320 px wide; null when none was kept. */
  screenshot: string | null;
}

/** What a service tells SessionWork about a run so that it is kept (sessions/work.ts). */
export interface RunNote<T> {
  kind: RunKind;
  title: string;
  /** Called once the run is over (its secrets all known): how it ended, redacted. */
  outcome(ended: { value: T } | { error: unknown }): RunOutcome;
  /** Whether the page may be pictured: false for a run that handled secrets. Asked after the run. */
  pictured(): boolean;
}

const MAX_RUNS = 50;
const MAX_SESSIONS = 100;
const SCREENSHOT_RUNS = 10;
const MAX_RESULT_CHARS = 2000;
const THUMBNAIL_WIDTH = 320;
const THUMBNAIL_MAX_BYTES = 48 * 1024;
const THUMBNAIL_TIMEOUT_MS = 3000;

export class SessionRuns {
  /** Session id → its tenant and runs, newest first; Map order: the session that ran last is last. */
  private readonly bySession = new Map<string, { tenantId: string; runs: RunRecord[] }>();

  add(tenantId: string, sessionId: string, run: Omit<RunRecord, 'id' | 'screenshot'>): RunRecord {
    const record: RunRecord = {
      ...run,
      id: randomUUID(),
      title: withoutQueries(run.title),
      steps: run.steps.map((step) => ({
        ...step,
        name: withoutQueries(step.name),
        ...(step.detail !== undefined ? { detail: withoutQueries(step.detail) } : {}),
        ...(step.error !== undefined ? { error: withoutQueries(step.error) } : {}),
      })),
      ...(run.error !== undefined ? { error: withoutQueries(run.error) } : {}),
      ...(run.result !== undefined ? { result: truncate(run.result, MAX_RESULT_CHARS) } : {}),
      screenshot: null,
    };
    const history = this.bySession.get(sessionId) ?? { tenantId, runs: [] };
    this.bySession.delete(sessionId);
    this.bySession.set(sessionId, history);
    history.runs.unshift(record);
    history.runs.length = Math.min(history.runs.length, MAX_RUNS);
    for (const older of history.runs.slice(SCREENSHOT_RUNS)) older.screenshot = null;
    while (this.bySession.size > MAX_SESSIONS) this.bySession.delete(this.bySession.keys().next().value!);
    return record;
  }

  /** A picture taken after the run was recorded (it is not waited for); dropped if the run is no longer among the newest. */
  picture(sessionId: string, runId: string, screenshot: string): void {
    const runs = this.bySession.get(sessionId)?.runs ?? [];
    const index = runs.findIndex((run) => run.id === runId);
    if (index >= 0 && index < SCREENSHOT_RUNS) runs[index].screenshot = screenshot;
  }

  /** The session's runs, newest first (the caller checked that the session is the tenant's). */
  list(tenantId: string, sessionId: string): RunRecord[] {
    const history = this.bySession.get(sessionId);
    return history && history.tenantId === tenantId ? [...history.runs] : [];
  }
}

/** What a failed run says in its history: the error's message, never a 5xx's internals. */
export function errorMessage(error: unknown): string {
  const typed = toNavisError(error);
  return typed.code === 'INTERNAL' ? 'Internal error; the server log has the details.' : typed.message;
}

/** The page's address as a run's history keeps it: no query, no fragment (they may carry tokens). */
export function pageAddress(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'about:' ? url.split(/[?#]/)[0] : `${parsed.origin}${parsed.pathname}`;
  } catch {
    return null;
  }
}

/**
 * A small JPEG of the page's viewport (THUMBNAIL_WIDTH wide), over navis's own CDP session on the
 * page so Playwright's work on it is not in the way; undefined when it cannot be had in time or is
 * too big to keep.
 */
export async function pageThumbnail(page: Page): Promise<string | undefined> {
  const cdp = await pageSession(page);
  if (!cdp) return undefined;
  const capture = async () => {
    const { cssVisualViewport: view } = await cdp.send('Page.getLayoutMetrics');
    if (view.clientWidth <= 0 || view.clientHeight <= 0) return undefined;
    const { data } = await cdp.send('Page.captureScreenshot', {
      format: 'jpeg',
      quality: 60,
      clip: {
        x: view.pageX,
        y: view.pageY,
        width: view.clientWidth,
        height: view.clientHeight,
        scale: Math.min(1, THUMBNAIL_WIDTH / view.clientWidth),
      },
    });
    return data;
  };
  const data = await withDeadline(capture(), THUMBNAIL_TIMEOUT_MS, 'the page did not draw in time');
  return data && (data.length * 3) / 4 <= THUMBNAIL_MAX_BYTES ? data : undefined;
}

/** Every URL in a text without its query and fragment: `https://a.test/p?token=x` → `https://a.test/p?…`. */
export const withoutQueries = (text: string) =>
  text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s?#'"]*)[?#][^\s'"]*/gi, '$1?…');

const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);
