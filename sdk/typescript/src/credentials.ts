// The credential vault, in /browser (camelCase; the dialect with get, update and delete). Username,
// password and TOTP secret go in and never come back: a task's `authenticate` action fills them in.
import type { Http } from './http.js';
import type { CreateCredential, Credential, CredentialList, UpdateCredential } from './types.js';

export class Credentials {
  constructor(private readonly http: Http) {}

  create(body: CreateCredential): Promise<Credential> {
    return this.http.json(this.http.api.POST('/browser/credentials', { body }));
  }

  list(): Promise<CredentialList> {
    return this.http.json(this.http.api.GET('/browser/credentials'));
  }

  get(credentialId: string): Promise<Credential> {
    return this.http.json(this.http.api.GET('/browser/credentials/{id}', { params: { path: { id: credentialId } } }));
  }

  /** Changing allowedDomains, or turning allowInsecure on, takes the current password (see the field docs). */
  update(credentialId: string, body: UpdateCredential): Promise<Credential> {
    return this.http.json(
      this.http.api.PATCH('/browser/credentials/{id}', { params: { path: { id: credentialId } }, body }),
    );
  }

  async delete(credentialId: string): Promise<void> {
    await this.http.json(this.http.api.DELETE('/browser/credentials/{id}', { params: { path: { id: credentialId } } }));
  }
}
