// Site manifests (/api/sites, seed 002): a site's page states with named actions and views, run on
// a real browser; discovery crawls a site and writes one. Keyless from the same machine when navis
// listens on 127.0.0.1, an API key otherwise.
import { NavisError } from './errors.js';
import type { Http } from './http.js';
import type {
  Discover,
  DiscoveryEvent,
  DiscoveryLine,
  Manifest,
  ManifestInput,
  SiteActionInputs,
  SiteActionResult,
  SiteList,
  SiteViewResult,
} from './types.js';

/** Run in an existing session (its cookies and logins) instead of a fresh browser context. */
export interface InSession {
  session_id?: string;
}

export class Sites {
  constructor(private readonly http: Http) {}

  list(): Promise<SiteList> {
    return this.http.json(this.http.api.GET('/api/sites'));
  }

  get(slug: string): Promise<Manifest> {
    return this.http.json(this.http.api.GET('/api/sites/{slug}/manifest', { params: { path: { slug } } }));
  }

  /** Creates or replaces the manifest; answers it as stored (defaults filled in). */
  put(slug: string, manifest: ManifestInput): Promise<Manifest> {
    return this.http.json(
      this.http.api.PUT('/api/sites/{slug}/manifest', { params: { path: { slug } }, body: manifest }),
    );
  }

  async delete(slug: string): Promise<void> {
    await this.http.json(this.http.api.DELETE('/api/sites/{slug}', { params: { path: { slug } } }));
  }

  /** Runs an action of a state with its inputs: `{ok, state, steps}`. */
  run(
    slug: string,
    state: string,
    action: string,
    inputs: SiteActionInputs = {},
    options: InSession = {},
  ): Promise<SiteActionResult> {
    return this.http.json(
      this.http.api.POST('/api/sites/{slug}/actions/{state}/{action}', {
        params: { path: { slug, state, action }, query: options },
        body: inputs,
      }),
    );
  }

  /** Reads a view: `items` (a list view) or `record`; `inputs` fill the state URL's templates. */
  view(
    slug: string,
    state: string,
    view: string,
    inputs: Record<string, string> = {},
    options: InSession = {},
  ): Promise<SiteViewResult> {
    return this.http.json(
      this.http.api.GET('/api/sites/{slug}/views/{state}/{view}', {
        params: { path: { slug, state, view }, query: { ...inputs, ...options } },
      }),
    );
  }

  /**
   * Crawls a site and stores its manifest, yielding progress events as they happen and the result
   * last (`type: 'progress' | 'result'`). A discovery that fails throws NavisError.
   */
  async *discover(body: Discover): AsyncGenerator<DiscoveryEvent> {
    const lines = this.http.lines(
      this.http.api.POST('/api/sites/discover', {
        body,
        headers: { accept: 'application/x-ndjson' },
        parseAs: 'stream',
      }),
    );
    for await (const line of lines as AsyncGenerator<DiscoveryLine>) {
      if (line.type === 'error') throw new NavisError(line.status, line.error, { code: line.code, body: line });
      yield line;
    }
  }
}
