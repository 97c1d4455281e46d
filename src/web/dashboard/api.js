// How the dashboard talks to navis: the API key from sessionStorage in X-API-Key, JSON in and out,
// and every refusal turned into an ApiError carrying the server's own message ({"error"} of the
// /browser, /admin and /api/sites families, {"detail"} of /public).
const KEY = 'navis.apiKey';

export const apiKey = {
  get: () => sessionStorage.getItem(KEY),
  set: (key) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Listeners told when navis refuses the stored key (revoked, tenant disabled): the app signs out. */
const onUnauthorized = new Set();
export const whenUnauthorized = (listener) => {
  onUnauthorized.add(listener);
  return () => onUnauthorized.delete(listener);
};

/**
 * Calls navis. Paths are relative ('browser/sessions'), so a navis behind a path prefix works too.
 * `body`: a plain object is sent as JSON, FormData as multipart. `as`: 'json' (default), 'blob'
 * or 'response' (the fetch Response itself, for streams). `key` overrides the stored key (sign in).
 */
export async function api(path, { method = 'GET', body, query, as = 'json', key, headers = {}, signal } = {}) {
  const url = new URL(path, document.baseURI);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
  }
  const sent = { ...headers };
  const apiKeyToSend = key ?? apiKey.get();
  if (apiKeyToSend) sent['X-API-Key'] = apiKeyToSend;
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    payload = JSON.stringify(body);
    sent['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(url, { method, headers: sent, body: payload, signal });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, `navis could not be reached (${error.message}). Is it still running?`);
  }
  if (!response.ok) {
    const error = new ApiError(response.status, await messageOf(response));
    if (response.status === 401 && key === undefined) for (const listener of onUnauthorized) listener(error);
    throw error;
  }
  if (as === 'response') return response;
  if (as === 'blob') return response.blob();
  if (response.status === 204) return undefined;
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

async function messageOf(response) {
  const text = await response.text();
  try {
    const body = JSON.parse(text);
    const message = body.error ?? body.detail ?? body.message;
    if (typeof message === 'string') return message;
    if (message !== undefined) return JSON.stringify(message);
  } catch {
    // not JSON: the text itself, below
  }
  return text.trim().slice(0, 500) || `${response.status} ${response.statusText}`;
}
