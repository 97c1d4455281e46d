// The client: `new Navis({ apiKey, baseUrl })`, one property per part of navis's API. Each method
// answers the server's JSON body as it is (field names included) or throws NavisError; `api` is
// the typed openapi-fetch client underneath, for any route the methods leave out.
import createClient from 'openapi-fetch';
import { Credentials } from './credentials.js';
import { Files } from './files.js';
import { Http, type Api } from './http.js';
import { Profiles } from './profiles.js';
import type { paths } from './schema.js';
import { Sessions } from './sessions.js';
import { Sites } from './sites.js';
import { StepCache } from './step-cache.js';
import { Tasks } from './tasks.js';
import type { Act, ActResult, Usage, UsageQuery } from './types.js';

export interface NavisOptions {
  /** A navis API key, sent as X-API-Key. Only /api/sites on a navis that listens on 127.0.0.1 works without one. */
  apiKey?: string;
  /** Where navis listens. Default http://127.0.0.1:8787. */
  baseUrl?: string;
  /** A fetch to use instead of the global one. */
  fetch?: typeof globalThis.fetch;
}

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8787';

export class Navis {
  readonly api: Api;
  readonly sessions: Sessions;
  readonly tasks: Tasks;
  readonly profiles: Profiles;
  readonly credentials: Credentials;
  readonly files: Files;
  readonly sites: Sites;
  readonly stepCache: StepCache;
  private readonly http: Http;

  constructor(options: NavisOptions = {}) {
    const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    const fetch = options.fetch;
    this.api = createClient<paths>({
      baseUrl,
      headers: options.apiKey ? { 'X-API-Key': options.apiKey } : {},
      ...(fetch ? { fetch: (request: Request) => fetch(request) } : {}),
    });
    this.http = new Http(this.api, baseUrl);
    this.sessions = new Sessions(this.http);
    this.tasks = new Tasks(this.http);
    this.profiles = new Profiles(this.http);
    this.credentials = new Credentials(this.http);
    this.files = new Files(this.http);
    this.sites = new Sites(this.http);
    this.stepCache = new StepCache(this.http);
  }

  /**
   * A natural-language action (seed 000's Run Single Action), in a session or a fresh one. With an
   * `id`, its steps are cached and replayed without a model next time (`used_cache`).
   */
  act(body: Act): Promise<ActResult> {
    return this.http.json(this.api.POST('/public/single-actions/run-action', { body }));
  }

  /** Credits and actions of the key's tenant, with the latest runs. */
  usage(query: UsageQuery = {}): Promise<Usage> {
    return this.http.json(this.api.GET('/public/usage', { params: { query } }));
  }
}
