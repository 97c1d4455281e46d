// Browser profiles (/public): a session started with `profile_id` gets the profile's cookies,
// logins and storage, and saves its changes back unless `persist_changes: false`.
import type { Http } from './http.js';
import type { Profile, ProfileList } from './types.js';

export class Profiles {
  constructor(private readonly http: Http) {}

  create(name: string): Promise<Profile> {
    return this.http.json(this.http.api.POST('/public/browser-profiles', { body: { name } }));
  }

  list(): Promise<ProfileList> {
    return this.http.json(this.http.api.GET('/public/browser-profiles'));
  }

  get(profileId: string): Promise<Profile> {
    return this.http.json(
      this.http.api.GET('/public/browser-profiles/{profile_id}', { params: { path: { profile_id: profileId } } }),
    );
  }

  async delete(profileId: string): Promise<void> {
    await this.http.json(
      this.http.api.DELETE('/public/browser-profiles/{profile_id}', { params: { path: { profile_id: profileId } } }),
    );
  }
}
