// The SDK's named types, each read out of the generated schema (schema.ts): a field navis adds to
// an answer shows up here with `npm run sdk:generate`, nothing is written twice. Field names are
// the server's, per dialect: snake_case for /public, camelCase for /browser and /api/sites.
import type { paths } from './schema.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

/** The JSON body an operation takes. */
export type RequestJson<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { requestBody?: { content: { 'application/json': infer Body } } } ? Body : never;

/** The JSON body of an operation's answer with status `S`. */
export type AnswerJson<P extends keyof paths, M extends Method, S extends number> =
  Operation<P, M> extends { responses: { [K in S]: { content: { 'application/json': infer Body } } } } ? Body : never;

/** The query parameters of an operation. */
export type Query<P extends keyof paths, M extends Method> = NonNullable<Operation<P, M>['parameters']['query']>;

// Sessions (/public: seed 001's snake_case; `cdp_url` is what Playwright connects to).
export type Session = AnswerJson<'/public/sessions/{session_id}', 'get', 200>;
export type SessionList = AnswerJson<'/public/sessions', 'get', 200>;
export type SessionListQuery = Query<'/public/sessions', 'get'>;
export type CreateSession = NonNullable<RequestJson<'/public/sessions', 'post'>>;
export type UpdateSession = RequestJson<'/public/sessions/{session_id}', 'patch'>;

// Typed tasks, PDF and screenshots (/browser: seed 003's camelCase).
export type Task = RequestJson<'/browser/sessions/{id}/tasks', 'post'>;
export type TaskResult = AnswerJson<'/browser/sessions/{id}/tasks', 'post', 201>;
export type TaskAction = Task['actions'] extends Array<infer A> | undefined ? A : never;
export type PdfOptions = NonNullable<RequestJson<'/browser/sessions/{id}/pdf', 'post'>>;
export type ScreenshotOptions = NonNullable<RequestJson<'/browser/sessions/{id}/screenshot', 'post'>>;

// Natural-language actions (/public: seed 000).
export type Act = RequestJson<'/public/single-actions/run-action', 'post'>;
export type ActResult = AnswerJson<'/public/single-actions/run-action', 'post', 200>;

// Browser profiles (/public) and the credential vault (/browser: the one with get, update and delete).
export type Profile = AnswerJson<'/public/browser-profiles/{profile_id}', 'get', 200>;
export type ProfileList = AnswerJson<'/public/browser-profiles', 'get', 200>;
export type Credential = AnswerJson<'/browser/credentials/{id}', 'get', 200>;
export type CredentialList = AnswerJson<'/browser/credentials', 'get', 200>;
export type CreateCredential = RequestJson<'/browser/credentials', 'post'>;
export type UpdateCredential = RequestJson<'/browser/credentials/{id}', 'patch'>;

// A session's files (/browser).
export type SessionFileList = AnswerJson<'/browser/sessions/{id}/files', 'get', 200>;
export type SessionFile = SessionFileList['files'][number];

// Site manifests (/api/sites: seed 002).
export type SiteList = AnswerJson<'/api/sites', 'get', 200>;
export type Manifest = AnswerJson<'/api/sites/{slug}/manifest', 'get', 200>;
export type ManifestInput = RequestJson<'/api/sites/{slug}/manifest', 'put'>;
export type SiteActionInputs = RequestJson<'/api/sites/{slug}/actions/{state}/{action}', 'post'>;
export type SiteActionResult = AnswerJson<'/api/sites/{slug}/actions/{state}/{action}', 'post', 200>;
export type SiteViewResult = AnswerJson<'/api/sites/{slug}/views/{state}/{view}', 'get', 200>;
export type Discover = RequestJson<'/api/sites/discover', 'post'>;
/** One line of a streamed discovery: progress events, then one result (an error line is thrown as NavisError). */
export type DiscoveryLine = Operation<
  '/api/sites/discover',
  'post'
>['responses'][200]['content']['application/x-ndjson'];
export type DiscoveryEvent = Exclude<DiscoveryLine, { type: 'error' }>;
export type DiscoveryProgress = Extract<DiscoveryLine, { type: 'progress' }>;
export type DiscoveryResult = Extract<DiscoveryLine, { type: 'result' }>;

// The step cache and usage (/public).
export type StepCacheList = AnswerJson<'/public/step-cache', 'get', 200>;
export type StepCacheListQuery = Query<'/public/step-cache', 'get'>;
export type StepCacheEntry = AnswerJson<'/public/step-cache/{id}', 'get', 200>;
export type Usage = AnswerJson<'/public/usage', 'get', 200>;
export type UsageQuery = Query<'/public/usage', 'get'>;
