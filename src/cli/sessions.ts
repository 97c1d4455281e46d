// `navis sessions list|get|create|terminate|delete`: the /public/sessions routes (seed 001).
import { Option, type Command } from 'commander';
import { NavisClient, segment, type ClientOptions, type WithServer } from './client.js';
import { collectPair, wholeNumber } from './input.js';
import { ago, duration, emit, fields, table } from './output.js';

/** The fields of a /public session the command line shows. */
export interface Session {
  session_id: string;
  cdp_url: string;
  screen_config: { width: number; height: number };
  status: 'active' | 'terminated' | 'expired';
  expires_at: string;
  metadata: Record<string, unknown> & { live_url?: string };
  profile_id: string | null;
  persist_changes: boolean | null;
  created_at: string;
  ttl: number;
  end_reason: string | null;
  awaiting_user: { since: string; reason: string } | null;
  proxy: { server: string } | null;
}

const ttlLeft = (s: Session, now = Date.now()) =>
  s.status === 'active' ? duration(Date.parse(s.expires_at) - now) : '-';

function describe(s: Session): string {
  const { live_url: liveUrl, ...metadata } = s.metadata;
  return fields([
    ['session', s.session_id],
    ['status', s.end_reason ? `${s.status} (${s.end_reason})` : s.status],
    ['created', `${s.created_at} (${ago(s.created_at)})`],
    ['ttl', s.status === 'active' ? `${s.ttl}s, ${ttlLeft(s)} left` : `${s.ttl}s`],
    ['screen', `${s.screen_config.width}x${s.screen_config.height}`],
    ['profile', s.profile_id && `${s.profile_id}${s.persist_changes === false ? ' (changes not saved)' : ''}`],
    ['proxy', s.proxy?.server ?? null],
    ['waiting for', s.awaiting_user ? `a person on the live view since ${s.awaiting_user.since}` : undefined],
    ['live view', typeof liveUrl === 'string' ? liveUrl : undefined],
    ['cdp url', s.cdp_url],
    ['metadata', Object.keys(metadata).length ? JSON.stringify(metadata) : undefined],
  ]);
}

interface CreateOptions extends ClientOptions {
  width?: number;
  height?: number;
  ttl?: number;
  profile?: string;
  persist: boolean;
  meta?: Array<[string, string]>;
  proxy?: string;
  cdpUrl?: string;
}

export function sessionCommands(program: Command, withServer: WithServer): void {
  const sessions = program
    .command('sessions')
    .description('browser sessions: list, inspect, create, terminate, delete (/public/sessions)');

  withServer(sessions.command('list'))
    .description('sessions of your tenant, newest first')
    .addOption(
      new Option('--status <status>', 'only sessions with this status').choices(['active', 'terminated', 'expired']),
    )
    .option('--limit <n>', 'at most this many', wholeNumber)
    .option('--offset <n>', 'skip this many first', wholeNumber)
    .action(async (opts: ClientOptions & { status?: string; limit?: number; offset?: number }) => {
      const query = new URLSearchParams();
      if (opts.status) query.set('status_filter', opts.status);
      if (opts.limit !== undefined) query.set('limit', String(opts.limit));
      if (opts.offset !== undefined) query.set('offset', String(opts.offset));
      const page = await new NavisClient(opts).json<{ sessions: Session[]; total: number }>(
        'GET',
        `/public/sessions${query.size ? `?${query}` : ''}`,
      );
      emit(opts, page, () => {
        const now = Date.now();
        const rows = table(
          page.sessions,
          [
            ['id', (s) => s.session_id],
            ['status', (s) => s.status],
            ['age', (s) => duration(now - Date.parse(s.created_at))],
            ['ttl left', (s) => ttlLeft(s, now)],
            ['end reason', (s) => s.end_reason],
            ['profile', (s) => s.profile_id],
          ],
          'No sessions.',
        );
        const more = page.total > page.sessions.length ? `\n${page.sessions.length} of ${page.total} shown.` : '';
        return rows + more;
      });
    });

  withServer(sessions.command('get <id>'))
    .description('one session: status, TTL left, live view and CDP addresses')
    .action(async (id: string, opts: ClientOptions) => {
      const session = await new NavisClient(opts).json<Session>('GET', `/public/sessions/${segment(id)}`);
      emit(opts, session, () => describe(session));
    });

  withServer(sessions.command('create'))
    .description('start a session (one Chromium); prints its id, live view and CDP address')
    .option('--width <px>', 'window width (default 1280)', wholeNumber)
    .option('--height <px>', 'window height (default 720)', wholeNumber)
    .option('--ttl <seconds>', 'time to live, at most 86400 (default 600)', wholeNumber)
    .option('--profile <id>', 'start from this browser profile')
    .option('--no-persist', 'with --profile: work on a copy, do not save changes back to the profile')
    .option('--meta <key=value>', 'metadata entry (repeatable)', collectPair)
    .option('--proxy <server>', 'outbound proxy, e.g. http://proxy.example:8080')
    .option('--cdp-url <url>', 'bring your own browser: its DevTools address')
    .action(async (opts: CreateOptions) => {
      const body = {
        screen_config:
          opts.width || opts.height ? { width: opts.width ?? 1280, height: opts.height ?? 720 } : undefined,
        ttl: opts.ttl,
        profile_id: opts.profile,
        persist_changes: opts.persist ? undefined : false,
        metadata: opts.meta ? Object.fromEntries(opts.meta) : undefined,
        proxy: opts.proxy ? { server: opts.proxy } : undefined,
        cdp_url: opts.cdpUrl,
      };
      const session = await new NavisClient(opts).json<Session>('POST', '/public/sessions', body);
      emit(opts, session, () => describe(session));
    });

  withServer(sessions.command('terminate <id>'))
    .description('end a session: its profile is saved, its browser closed (the record stays)')
    .action(async (id: string, opts: ClientOptions) => {
      await new NavisClient(opts).send('POST', `/public/sessions/${segment(id)}/terminate`);
      emit(opts, undefined, () => `Terminated session ${id}.`);
    });

  withServer(sessions.command('delete <id>'))
    .description('end a session at once and delete its record')
    .action(async (id: string, opts: ClientOptions) => {
      await new NavisClient(opts).send('DELETE', `/public/sessions/${segment(id)}`);
      emit(opts, undefined, () => `Deleted session ${id}.`);
    });
}
