// The step cache of natural-language actions (/public): what `act` with an `id` stored, replays
// and heals. Deleting an entry makes the next run plan afresh.
import type { Http } from './http.js';
import type { StepCacheEntry, StepCacheList, StepCacheListQuery } from './types.js';

export class StepCache {
  constructor(private readonly http: Http) {}

  list(query: StepCacheListQuery = {}): Promise<StepCacheList> {
    return this.http.json(this.http.api.GET('/public/step-cache', { params: { query } }));
  }

  /** An entry with its steps. */
  get(id: string): Promise<StepCacheEntry> {
    return this.http.json(this.http.api.GET('/public/step-cache/{id}', { params: { path: { id } } }));
  }

  async delete(id: string): Promise<void> {
    await this.http.json(this.http.api.DELETE('/public/step-cache/{id}', { params: { path: { id } } }));
  }
}
