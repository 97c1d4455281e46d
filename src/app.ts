// The composition root: builds the store, the services and the HTTP app from a Config.
// main.ts listens and handles signals; tests call buildApp() with a temporary data dir.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { adminRoutes } from './api/admin/tenants.js';
import { requireApiKey } from './api/auth.js';
import { browserCallerRoutes } from './api/browser/caller.js';
import { browserCredentialRoutes } from './api/browser/credentials.js';
import { browserFileRoutes } from './api/browser/files.js';
import { browserTaskRoutes } from './api/browser/tasks.js';
import { browserProfileRoutes } from './api/browser/profiles.js';
import { browserRunRoutes } from './api/browser/runs.js';
import { browserSessionRoutes } from './api/browser/sessions.js';
import { browserSnapshotRoutes } from './api/browser/snapshot.js';
import { detailBody, errorCodeBody, siteErrorBody, useErrorDialect } from './api/dialect.js';
import { mcpRoutes } from './api/mcp.js';
import { navisRoutes } from './api/navis.js';
import { openApiTransform } from './api/openapi.js';
import { publicCredentialRoutes } from './api/public/credentials.js';
import { publicProfileRoutes } from './api/public/profiles.js';
import { publicSessionRoutes } from './api/public/sessions.js';
import { publicSingleActionRoutes } from './api/public/single-actions.js';
import { siteDocsRoutes } from './api/sites/docs.js';
import { guardSiteApi } from './api/sites/guard.js';
import { discoverRoutes } from './api/sites/discover.js';
import { executeRoutes } from './api/sites/execute.js';
import { manifestRoutes } from './api/sites/manifests.js';
import { routeUpgrades } from './api/upgrade.js';
import { StepCache } from './agent/cache.js';
import { plannerFactoryFrom } from './agent/planners.js';
import { SingleActionService } from './agent/service.js';
import { UsageService } from './agent/usage.js';
import { StepCacheRepository, UsageRepository } from './store/agent.js';
import { BrowserLauncher } from './browsers/launcher.js';
import { BrowserPool } from './browsers/pool.js';
import { BrowserUsers } from './browsers/users.js';
import { EgressProxy } from './network/egress-proxy.js';
import { NavisEndpoints } from './network/endpoints.js';
import type { Config } from './config.js';
import { RequestLinesAtDebug, createLogger, redactUrl } from './logging.js';
import { CdpProxy } from './sessions/cdp-proxy.js';
import { LiveView } from './sessions/live-view.js';
import { ProfileService } from './sessions/profiles.js';
import { SessionRuns } from './sessions/runs.js';
import { SessionService } from './sessions/service.js';
import { DEFAULT_SCREEN } from './sessions/types.js';
import { invalid } from './errors.js';
import { MAX_JSON_DEPTH, nestedDeeperThan } from './json.js';
import { DataDirLock } from './store/data-dir-lock.js';
import { openStore, type Db } from './store/db.js';
import { CredentialRepository } from './store/credentials.js';
import { ProfileRepository } from './store/profiles.js';
import { SessionRepository } from './store/sessions.js';
import { SiteRepository } from './store/sites.js';
import { TenantRepository } from './store/tenants.js';
import { DiscoveryService } from './sites/discovery/service.js';
import { ManifestRunner } from './sites/runner.js';
import { ManifestService } from './sites/service.js';
import { SessionFiles } from './tasks/files.js';
import { TaskService } from './tasks/service.js';
import { VaultAuthenticator } from './vault/authenticate.js';
import { SessionWork } from './sessions/work.js';
import { TenantService } from './tenants/service.js';
import { VaultCipher, loadVaultKey } from './vault/crypto.js';
import { Vault } from './vault/service.js';

// Callers build the logger from app.js as they always have; it lives in logging.ts.
export { createLogger } from './logging.js';

export interface Services {
  config: Config;
  db: Db;
  log: Logger;
  tenants: TenantService;
  profiles: ProfileService;
  sessions: SessionService;
  pool: BrowserPool;
  launcher: BrowserLauncher;
  files: SessionFiles;
  tasks: TaskService;
  stepCache: StepCache;
  usage: UsageService;
  singleActions: SingleActionService;
  manifests: ManifestService;
  siteRunner: ManifestRunner;
  discovery: DiscoveryService;
  vault: Vault;
}

export interface Navis {
  app: FastifyInstance;
  services: Services;
  /** An admin key generated on this start (first start only), to be shown once. */
  generatedAdminKey?: string;
  /** Listens, then tells the services the address clients use. Returns the base URL. */
  listen(): Promise<string>;
  /** Ends every session (saving profiles), empties the pool, closes the store. Safe to call twice. */
  close(): Promise<void>;
}

/** NAVIS_SITES_DIR: every start loads the folder's manifests into the default tenant; a bad file is logged, not fatal. */
function importSiteManifests(manifests: ManifestService, tenantId: string, dir: string, log: Logger): void {
  const { loaded, errors } = manifests.importDir(tenantId, dir);
  for (const { file, error } of errors)
    log.error({ sitesDir: dir, file, err: error }, 'could not import a site manifest; fix the file and restart navis');
  if (loaded.length === 0 && errors.length === 0)
    log.warn({ sitesDir: dir }, 'NAVIS_SITES_DIR holds no *.json manifests (or does not exist)');
  else log.info({ sitesDir: dir, sites: loaded }, `imported ${loaded.length} site manifest(s)`);
}

/**
 * What happens to sessions when something else changes: a session's files folder is its browser's
 * own and takes its downloads; an ended session's files go; a disabled or deleted tenant's sessions
 * end (and a deleted one's profiles go from disk), as do a revoked key's; a changed network policy
 * reaches running browsers at once.
 */
function wireSessionLifecycle(deps: {
  tenants: TenantService;
  sessions: SessionService;
  profiles: ProfileService;
  files: SessionFiles;
  config: Config;
  log: Logger;
}): void {
  const { tenants, sessions, profiles, files, config, log } = deps;
  sessions.on('started', (session) => {
    files.adopt(session.id, session.browser?.identity);
    session.browser
      ?.downloadInto(files.folderOf(session.id), config.maxSessionFilesBytes, log.child({ sessionId: session.id }))
      .catch((error: Error) =>
        log.warn(
          { sessionId: session.id, err: error.message },
          "could not point the session browser's downloads at its files",
        ),
      );
  });
  sessions.on('ended', (id) => {
    try {
      files.removeAll(id);
    } catch (error) {
      log.warn({ sessionId: id, err: (error as Error).message }, 'could not remove the files of an ended session');
    }
  });
  tenants.hooks.networkChanged.push((tenantId) => sessions.reroute(tenantId));
  tenants.hooks.closing.push(async (tenantId, reason) => {
    await sessions.endAllOf({ tenantId }, reason);
    if (reason === 'tenant_deleted') profiles.removeDirsOf(tenantId);
  });
  tenants.hooks.keyRevoked.push((apiKeyId) => sessions.endAllOf({ apiKeyId }, 'api_key_revoked'));
}

export async function buildApp(config: Config, log: Logger = createLogger(config)): Promise<Navis> {
  // First of all: a second navis on this data dir would share its store and kill its browsers.
  const lock = DataDirLock.acquire(config.dataDir);
  try {
    return await assemble(config, log, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function assemble(config: Config, log: Logger, lock: DataDirLock): Promise<Navis> {
  const db = openStore(config.dataDir);
  // Before anything is generated: a vault key problem stops the start before an admin key is made and lost.
  const vault = new Vault(new CredentialRepository(db), new VaultCipher(loadVaultKey(config)));
  const tenants = new TenantService(new TenantRepository(db), {
    limits: {
      maxSessions: config.maxSessions,
      maxSiteExecutions: config.maxSiteExecutions,
      maxDiscoveries: config.maxDiscoveries,
    },
    allowFileUrls: config.allowFileUrls,
  });
  const generated = tenants.ensureAdminKey(config.apiKey);
  const profiles = new ProfileService(new ProfileRepository(db), config.dataDir);
  const users = new BrowserUsers(config, log.child({ component: 'browsers' }));
  const endpoints = new NavisEndpoints();
  const launcher = new BrowserLauncher(config, users, endpoints, log.child({ component: 'launcher' }));
  const pool = new BrowserPool(launcher, config.poolSize, DEFAULT_SCREEN, log.child({ component: 'pool' }));
  const sessions = new SessionService(
    config,
    new SessionRepository(db),
    profiles,
    launcher,
    pool,
    log.child({ component: 'sessions' }),
    { tenants, endpoints },
  );
  const files = new SessionFiles(
    config.dataDir,
    config.maxUploadBytes,
    config.maxSessionFilesBytes,
    (target, identity) => users.giveTo(target, identity),
  );
  users.prepareDataDir(config.dataDir, [launcher.scratchRoot, profiles.root, files.root]);
  sessions.recover();
  files.clearAll();
  wireSessionLifecycle({ tenants, sessions, profiles, files, config, log });
  // One way to reach a session's page for a run (tasks, single actions, site actions on a session).
  const runs = new SessionRuns();
  const work = new SessionWork({
    runs,
    sessions,
    files,
    authenticator: new VaultAuthenticator(vault),
    log: log.child({ component: 'runs' }),
    limits: config,
    settle: { quietMs: config.siteSettleQuietMs, maxMs: config.siteSettleMaxMs },
  });
  const tasks = new TaskService(work);
  const stepCache = new StepCache(new StepCacheRepository(db));
  const migratedSteps = stepCache.migrateLegacyRows();
  if (migratedSteps > 0) log.info({ entries: migratedSteps }, 'step cache entries converted to the Action format');
  const usage = new UsageService(new UsageRepository(db));
  const agentLog = log.child({ component: 'single-actions' });
  const singleActions = new SingleActionService(
    sessions,
    work,
    stepCache,
    usage,
    plannerFactoryFrom(config, agentLog),
    config.llmMaxSteps,
  );
  const manifests = new ManifestService(new SiteRepository(db));
  if (config.sitesDir) importSiteManifests(manifests, tenants.defaultTenantId(), config.sitesDir, log);
  const siteRunner = new ManifestRunner({
    manifests,
    work,
    pool,
    tenants,
    endpoints,
    maxExecutions: config.maxSiteExecutions,
    log: log.child({ component: 'site-runner' }),
  });
  pool.start();
  sessions.startReaper();
  const discovery = new DiscoveryService(pool, manifests, config, log.child({ component: 'discovery' }), {
    tenants,
    endpoints,
  });
  const services: Services = {
    config,
    db,
    log,
    tenants,
    profiles,
    sessions,
    pool,
    launcher,
    vault,
    files,
    tasks,
    stepCache,
    usage,
    singleActions,
    manifests,
    siteRunner,
    discovery,
  };

  const app: FastifyInstance = Fastify({
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- it picks Fastify's logger type parameter
    loggerInstance: log as FastifyBaseLogger,
    // One line per request is too chatty at info: they go at debug.
    logController: new RequestLinesAtDebug(),
    bodyLimit: config.bodyLimitBytes,
    // Uploaded filenames (DELETE /browser/sessions/{id}/files/{filename}) run to 255 bytes, percent-encoded.
    routerOptions: { maxParamLength: 1024 },
  });
  // Clients often send Content-Type: application/json on body-less POSTs (terminate): treat an
  // empty body as no body instead of a parse error. A body nested deeper than MAX_JSON_DEPTH is a
  // 400 here, before anything (zod, the store's JSON.stringify) walks it recursively.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if ((body as string).trim() === '') return done(null, undefined);
    // fastify's JSON parser answers through its callback, synchronously
    void parseJson(request, body as string, (error, parsed) => {
      if (error || !nestedDeeperThan(parsed, MAX_JSON_DEPTH)) return done(error, parsed);
      done(
        invalid(
          `Body is nested more than ${MAX_JSON_DEPTH} levels deep (objects and arrays). Send a flatter body; metadata and variables may nest at most that deep.`,
        ),
        undefined,
      );
    });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, {
    openapi: {
      info: { title: 'navis', version: '0.1.0', description: 'Self-hosted browser automation server' },
      components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } } },
      security: [{ apiKey: [] }],
    },
    transform: openApiTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(
    async (scope) => {
      useErrorDialect(scope, detailBody);
      requireApiKey(scope, tenants);
      await scope.register(publicSessionRoutes, { sessions });
      await scope.register(publicProfileRoutes, { profiles });
      await scope.register(publicSingleActionRoutes, { singleActions, cache: stepCache, usage });
      await scope.register(publicCredentialRoutes, { vault });
    },
    { prefix: '/public' },
  );

  await app.register(
    async (scope) => {
      useErrorDialect(scope, errorCodeBody);
      requireApiKey(scope, tenants);
      await scope.register(browserSessionRoutes, { sessions });
      await scope.register(browserProfileRoutes, { profiles });
      await scope.register(browserFileRoutes, { sessions, files, maxUploadBytes: config.maxUploadBytes });
      await scope.register(browserCredentialRoutes, { vault });
      await scope.register(browserTaskRoutes, { tasks });
      await scope.register(browserSnapshotRoutes, { tasks });
      await scope.register(browserRunRoutes, { sessions, runs });
      await scope.register(browserCallerRoutes, { tenants });
    },
    { prefix: '/browser' },
  );

  await app.register(
    async (scope) => {
      useErrorDialect(scope, errorCodeBody);
      requireApiKey(scope, tenants, { admin: true });
      await scope.register(adminRoutes, { tenants });
    },
    { prefix: '/admin' },
  );

  // seed 002: {"error": "..."} bodies; keyless on loopback as the default tenant (see api/sites/guard.ts).
  await app.register(
    async (scope) => {
      useErrorDialect(scope, siteErrorBody);
      guardSiteApi(scope, tenants, config);
      await scope.register(manifestRoutes, { manifests });
      await scope.register(siteDocsRoutes, { manifests });
      await scope.register(executeRoutes, { runner: siteRunner });
      await scope.register(discoverRoutes, { discovery });
    },
    { prefix: '/api/sites' },
  );

  // POST /mcp: the MCP server over Streamable HTTP; its tools call the routes above with the caller's key.
  await app.register(
    async (scope) => {
      useErrorDialect(scope, errorCodeBody);
      requireApiKey(scope, tenants);
      await scope.register(mcpRoutes);
    },
    { prefix: '/mcp' },
  );

  const cdpProxy = new CdpProxy(
    sessions,
    (session) => ({ schemes: session.guard.route.schemes, filesFolder: files.folderOf(session.id) }),
    log.child({ component: 'cdp-proxy' }),
  );
  const liveView = new LiveView(sessions, log.child({ component: 'live-view' }));
  await app.register(async (scope) => {
    useErrorDialect(scope, errorCodeBody);
    await scope.register(navisRoutes, { sessions, pool, config, liveView });
  });

  routeUpgrades(app.server, { cdpProxy, liveView, log: log.child({ component: 'upgrade' }) });

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      await sessions.shutdown();
      cdpProxy.close();
      liveView.close();
      await siteRunner.close();
      await pool.close();
      await EgressProxy.shutdown(endpoints);
      await app.close();
      db.close();
      lock.release();
    })());

  const listen = async () => {
    const address = await app.listen({ host: config.host, port: config.port });
    const { port } = app.server.address() as { port: number };
    endpoints.setApiPort(port);
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    const base = config.publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    sessions.setBaseUrl(base);
    lock.setAddress(base);
    log.info({ address: redactUrl(address) }, 'navis listening');
    return base;
  };

  return { app, services, generatedAdminKey: generated?.key, listen, close };
}
