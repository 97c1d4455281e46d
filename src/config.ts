// Every setting navis reads, its default and its environment variable, in one place.
// loadConfig() is called once at start; the frozen result is passed to whatever needs it.
// Nothing else in the code base reads process.env.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const MiB = 1024 * 1024;

/** Roughly one Chromium session per 512 MiB of memory, keeping 1 GiB for the system, capped at 64. */
export function defaultMaxSessions(totalMemBytes = os.totalmem()): number {
  return Math.max(1, Math.min(64, Math.floor((totalMemBytes - 1024 * MiB) / (512 * MiB))));
}

export const VAULT_KEY_FORMAT =
  'must be 32 bytes, given as 64 hex characters or base64 (generate one with: openssl rand -hex 32)';

/** The 32 bytes of a vault key written as hex or base64 (also url-safe), or undefined when it is neither. */
export function vaultKeyBytes(text: string): Buffer | undefined {
  const value = text.trim();
  if (/^[0-9a-f]{64}$/i.test(value)) return Buffer.from(value, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === 32 ? bytes : undefined;
}

/**
 * ~/.navis, or /var/lib/navis for root: browsers then run as other users and must be able to
 * enter the data dir's parents, which /root does not let them. A ~/.navis from before stays in use
 * (navis says at start what to do if browsers cannot reach it).
 */
function defaultDataDir(): string {
  const home = path.join(os.homedir(), '.navis');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return isRoot && !fs.existsSync(home) ? '/var/lib/navis' : home;
}

const intFrom = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

const boolFrom = (fallback: boolean) =>
  z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
    .default(fallback)
    .transform((v) => v === true || v === 'true' || v === '1');

const ConfigSchema = z
  .object({
    /** NAVIS_HOST: address to listen on. Loopback by default; anything else exposes the API. */
    host: z.string().min(1).default('127.0.0.1'),
    /** NAVIS_PORT: port to listen on (0 picks a free one). */
    port: intFrom(8787).pipe(z.number().max(65535)),
    /** NAVIS_PUBLIC_URL: base URL clients use to reach navis (cdp_url, live_url); default http://host:port. */
    publicUrl: z.string().url().optional(),
    /** NAVIS_DATA_DIR: SQLite store, profiles, browser scratch dirs (as root: /var/lib/navis, which browsers running as their own users can reach). */
    dataDir: z.string().min(1).default(defaultDataDir()),
    /** NAVIS_API_KEY: the admin key; when unset one is generated on first start and printed once. */
    apiKey: z.string().min(16, 'NAVIS_API_KEY must be at least 16 characters').optional(),
    /** CHROME_PATH: Chrome/Chromium executable; when unset, common install paths are searched. */
    chromePath: z.string().min(1).optional(),
    /** NAVIS_POOL_SIZE: pre-launched browsers kept warm for sessions without a profile; 0 disables. */
    poolSize: intFrom(2),
    /** NAVIS_MAX_SESSIONS: concurrent managed sessions across all tenants; beyond it create answers 429. */
    maxSessions: intFrom(defaultMaxSessions(), 1),
    /** NAVIS_MAX_SITE_EXECUTIONS: site manifest actions and views running at once (seed 002); beyond it they answer 429. */
    maxSiteExecutions: intFrom(3, 1),
    /** NAVIS_SITE_SETTLE_QUIET_MS: a site action's page counts as settled after this long without DOM changes or requests (seed 002 step 5). */
    siteSettleQuietMs: intFrom(100, 0),
    /** NAVIS_SITE_SETTLE_MAX_MS: the longest a site action waits for its page to settle; then the steps run anyway. */
    siteSettleMaxMs: intFrom(3000, 0),
    /** NAVIS_HEADLESS: run Chromium headless (default true). */
    headless: boolFrom(true),
    /** NAVIS_REAPER_INTERVAL_MS: how often expired and idle sessions are ended. */
    reaperIntervalMs: intFrom(1000, 50),
    /** NAVIS_BODY_LIMIT_BYTES: largest accepted JSON request body. */
    bodyLimitBytes: intFrom(10 * MiB, 1024),
    /** NAVIS_MAX_UPLOAD_BYTES: largest file accepted by POST /browser/sessions/{id}/files. */
    maxUploadBytes: intFrom(50 * MiB, 1),
    /** NAVIS_MAX_SESSION_FILES_BYTES: total size of the files one session may hold. */
    maxSessionFilesBytes: intFrom(200 * MiB, 1),
    /** NAVIS_BROWSER_LAUNCH_TIMEOUT_MS: how long a Chromium launch may take before it counts as failed. */
    launchTimeoutMs: intFrom(30_000, 1000),
    /** NAVIS_LOG_LEVEL: pino level (fatal, error, warn, info, debug, trace, silent). */
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /**
     * NAVIS_LOG_FORMAT: 'auto' writes pretty single lines when stdout is a terminal and JSON lines
     * otherwise; 'json' always JSON (for log shippers), 'pretty' always pretty. Redaction is the same in both.
     */
    logFormat: z.enum(['auto', 'json', 'pretty']).default('auto'),
    /**
     * NAVIS_VAULT_KEY: the credential vault's AES-256 key, 32 bytes as 64 hex characters or base64
     * (`openssl rand -hex 32`). When unset, <dataDir>/vault.key is generated, readable by its owner only.
     */
    vaultKey: z
      .string()
      .transform(
        (text, ctx) => vaultKeyBytes(text) ?? (ctx.addIssue({ code: 'custom', message: VAULT_KEY_FORMAT }), z.NEVER),
      )
      .optional(),
    /** NAVIS_PLANNER: what plans natural-language actions: 'rules' (built in, no model) or 'llm' (needs NAVIS_LLM_MODEL). */
    planner: z.enum(['rules', 'llm']).default('rules'),
    /** NAVIS_LLM_PROVIDER: wire format of the model server: 'openai' (chat completions: OpenAI, vLLM, Ollama, LM Studio) or 'anthropic' (Messages API). */
    llmProvider: z.enum(['openai', 'anthropic']).default('openai'),
    /** NAVIS_LLM_BASE_URL: the model server; default https://api.openai.com/v1 (openai) or https://api.anthropic.com (anthropic). */
    llmBaseUrl: z.string().url().optional(),
    /** NAVIS_LLM_MODEL: model name as the server knows it (gpt-4.1-mini, claude-sonnet-4-5, qwen2.5:7b…); required with NAVIS_PLANNER=llm. */
    llmModel: z.string().min(1).optional(),
    /** NAVIS_LLM_API_KEY: key for the model server; local servers need none. Never logged. */
    llmApiKey: z.string().min(1).optional(),
    /** NAVIS_LLM_TIMEOUT_MS: how long one model request may take. */
    llmTimeoutMs: intFrom(60_000, 1000),
    /** NAVIS_LLM_MAX_STEPS: planner turns one natural-language action may take. */
    llmMaxSteps: intFrom(25, 1),
    /** NAVIS_SITES_DIR: a folder of site manifests (`<slug>.json`) imported into the default tenant at every start. */
    sitesDir: z.string().min(1).optional(),
    /** NAVIS_ALLOW_FILE_URLS: let the default tenant open file: URLs (off: no tenant reads this machine's files). */
    allowFileUrls: boolFrom(false),
    /**
     * NAVIS_ALLOW_LOCAL_PROXIES: let sessions use an outbound proxy on navis's own machine (it reaches
     * what the machine reaches, navis's browsers included: for trusted tenants or tests only).
     */
    allowLocalProxies: boolFrom(false),
    /** NAVIS_SITES_KEYLESS: keyless /api/sites calls from a program on this machine act as the default tenant (seed 002); false requires a key. */
    sitesKeyless: boolFrom(true),
    /**
     * NAVIS_BROWSER_UIDS: the user ids browsers run as when navis runs as root, one per browser from
     * this range ('300000-303999' by default), so no browser reads another's data or navis's own;
     * 'off' runs them as navis's user. Ignored when navis is not root.
     */
    browserUids: z
      .string()
      .regex(/^(off|\d+-\d+)$/, "must be 'off' or a range such as '300000-303999'")
      .default('300000-303999'),
    /** NAVIS_MAX_TASK_MS: the longest one task, single action or site action may run, all its steps together. */
    maxTaskMs: intFrom(600_000, 1000),
    /** NAVIS_MAX_DISCOVERIES: site discoveries running at once across the server (per tenant: the admin's limits). */
    maxDiscoveries: intFrom(1, 1),
    /** NAVIS_MAX_RESULT_BYTES: the largest single result: an evaluate value's JSON, an extract's text, content's HTML (default 10 MiB). */
    maxResultBytes: intFrom(10 * MiB, 1),
    /** NAVIS_MAX_ANSWER_BYTES: everything one answer carries together: results, screenshots, PDF, HTML (default 100 MiB). */
    maxAnswerBytes: intFrom(100 * MiB, 1),
    /** NAVIS_MAX_SCREENSHOT_PX: the widest and tallest a full-page or element screenshot may be, in CSS px (default 16384). */
    maxScreenshotPx: intFrom(16_384, 1),
    /** NAVIS_MAX_PDF_PAGES: the most pages a PDF may have (default 1000). */
    maxPdfPages: intFrom(1000, 1),
  })
  .superRefine((config, ctx) => {
    if (config.planner === 'llm' && !config.llmModel) {
      ctx.addIssue({
        code: 'custom',
        path: ['llmModel'],
        message:
          'required when NAVIS_PLANNER=llm: the model name as the server knows it (set NAVIS_LLM_BASE_URL and NAVIS_LLM_API_KEY too when the server needs them)',
      });
    }
  });

export type Config = Readonly<
  z.infer<typeof ConfigSchema> & {
    /** What a browser's environment takes from navis's: display and locale only, never a NAVIS_* setting or a key. */
    browserEnv: Readonly<Record<string, string>>;
  }
>;

/** Variables a browser needs from the environment navis runs in (a display for headful runs, locale, time zone). */
const BROWSER_ENV = [
  'DISPLAY',
  'WAYLAND_DISPLAY',
  'XAUTHORITY',
  'XDG_RUNTIME_DIR',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'TZ',
  'FONTCONFIG_PATH',
  'FONTCONFIG_FILE',
];

const ENV_NAMES: Record<keyof z.input<typeof ConfigSchema>, string> = {
  host: 'NAVIS_HOST',
  port: 'NAVIS_PORT',
  publicUrl: 'NAVIS_PUBLIC_URL',
  dataDir: 'NAVIS_DATA_DIR',
  apiKey: 'NAVIS_API_KEY',
  chromePath: 'CHROME_PATH',
  poolSize: 'NAVIS_POOL_SIZE',
  maxSessions: 'NAVIS_MAX_SESSIONS',
  maxSiteExecutions: 'NAVIS_MAX_SITE_EXECUTIONS',
  siteSettleQuietMs: 'NAVIS_SITE_SETTLE_QUIET_MS',
  siteSettleMaxMs: 'NAVIS_SITE_SETTLE_MAX_MS',
  headless: 'NAVIS_HEADLESS',
  reaperIntervalMs: 'NAVIS_REAPER_INTERVAL_MS',
  bodyLimitBytes: 'NAVIS_BODY_LIMIT_BYTES',
  maxUploadBytes: 'NAVIS_MAX_UPLOAD_BYTES',
  maxSessionFilesBytes: 'NAVIS_MAX_SESSION_FILES_BYTES',
  launchTimeoutMs: 'NAVIS_BROWSER_LAUNCH_TIMEOUT_MS',
  logLevel: 'NAVIS_LOG_LEVEL',
  logFormat: 'NAVIS_LOG_FORMAT',
  vaultKey: 'NAVIS_VAULT_KEY',
  planner: 'NAVIS_PLANNER',
  llmProvider: 'NAVIS_LLM_PROVIDER',
  llmBaseUrl: 'NAVIS_LLM_BASE_URL',
  llmModel: 'NAVIS_LLM_MODEL',
  llmApiKey: 'NAVIS_LLM_API_KEY',
  llmTimeoutMs: 'NAVIS_LLM_TIMEOUT_MS',
  llmMaxSteps: 'NAVIS_LLM_MAX_STEPS',
  sitesDir: 'NAVIS_SITES_DIR',
  allowFileUrls: 'NAVIS_ALLOW_FILE_URLS',
  sitesKeyless: 'NAVIS_SITES_KEYLESS',
  allowLocalProxies: 'NAVIS_ALLOW_LOCAL_PROXIES',
  browserUids: 'NAVIS_BROWSER_UIDS',
  maxTaskMs: 'NAVIS_MAX_TASK_MS',
  maxDiscoveries: 'NAVIS_MAX_DISCOVERIES',
  maxResultBytes: 'NAVIS_MAX_RESULT_BYTES',
  maxAnswerBytes: 'NAVIS_MAX_ANSWER_BYTES',
  maxScreenshotPx: 'NAVIS_MAX_SCREENSHOT_PX',
  maxPdfPages: 'NAVIS_MAX_PDF_PAGES',
};

/** Documented settings, for the README and `--help`. */
export const SETTINGS = ENV_NAMES;

/**
 * Builds the configuration from environment variables, then applies `overrides` (tests and the CLI).
 * Throws one readable error naming every bad variable.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<z.input<typeof ConfigSchema>> = {},
): Config {
  const raw: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  Object.assign(raw, overrides);
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path[0] as keyof typeof ENV_NAMES;
      return `${ENV_NAMES[key] ?? String(key)}: ${issue.message}`;
    });
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const browserEnv = Object.freeze(
    Object.fromEntries(BROWSER_ENV.flatMap((name) => (env[name] ? [[name, env[name]]] : []))),
  );
  return Object.freeze({ ...parsed.data, dataDir: path.resolve(parsed.data.dataDir), browserEnv });
}

/** What the command-line client needs: where navis is and which key to send (NAVIS_URL, NAVIS_API_KEY). */
export function clientSettings(env: NodeJS.ProcessEnv = process.env): { serverUrl: string; apiKey?: string } {
  return {
    serverUrl: (env.NAVIS_URL || 'http://127.0.0.1:8787').replace(/\/$/, ''),
    apiKey: env.NAVIS_API_KEY || undefined,
  };
}
