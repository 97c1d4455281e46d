// Pieces every dashboard page uses: loading data, showing errors, confirming, formatting times.
import { html, useCallback, useEffect, useRef, useState } from './vendor/preact-htm.js';

/**
 * Loads `load()` now, again when `deps` change, and every `pollMs` (when given). Returns
 * { data, error, loading, reload }; a reload keeps the last data on screen while it runs.
 */
export function useLoad(load, deps, { pollMs } = {}) {
  const [state, setState] = useState({ data: undefined, error: undefined, loading: true });
  const generation = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await load();
      if (mine === generation.current) setState({ data, error: undefined, loading: false });
    } catch (error) {
      if (mine === generation.current) setState((s) => ({ ...s, error, loading: false }));
    }
  }, deps);
  useEffect(() => {
    reload();
    if (!pollMs) return () => generation.current++;
    const timer = setInterval(reload, pollMs);
    return () => {
      clearInterval(timer);
      generation.current++;
    };
  }, [reload, pollMs]);
  return { ...state, reload };
}

/** Re-renders every `ms`, for ages and time left that count on their own. */
export function useNow(ms = 1000) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/**
 * Runs an action (a create, a delete) and keeps what the person needs to see of it: `busy` while it
 * runs, `error` when navis refused it. `run(...args)` resolves to the action's result, or undefined.
 */
export function useAction(action) {
  const [state, setState] = useState({ busy: false, error: undefined });
  const run = async (...args) => {
    setState({ busy: true, error: undefined });
    try {
      const result = await action(...args);
      setState({ busy: false, error: undefined });
      return result;
    } catch (error) {
      setState({ busy: false, error });
      return undefined;
    }
  };
  return { ...state, run, clear: () => setState({ busy: false, error: undefined }) };
}

export function ErrorBox({ error }) {
  if (!error) return null;
  return html`<p class="error" role="alert">${error.message ?? String(error)}</p>`;
}

/** A button that asks once more before it acts: "Delete" → "Delete? Yes / No". */
export function ConfirmButton({ label, question, onConfirm, disabled }) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return html`<button type="button" class="danger" disabled=${disabled} onClick=${() => setAsking(true)}>
      ${label}
    </button>`;
  return html`<span class="confirm">
    ${question ?? `${label}?`}
    <button
      type="button"
      class="danger"
      onClick=${() => {
        setAsking(false);
        onConfirm();
      }}
    >
      Yes, ${label.toLowerCase()}
    </button>
    <button type="button" onClick=${() => setAsking(false)}>No</button>
  </span>`;
}

export function Loading({ when }) {
  return when ? html`<p class="muted">Loading…</p>` : null;
}

export const shortId = (id) => (id ? id.slice(0, 8) : '');

/** "12 s", "5 min", "3 h 20 min", "2 d 4 h". */
export function duration(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min${s % 60 && m < 10 ? ` ${s % 60} s` : ''}`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h${m % 60 ? ` ${m % 60} min` : ''}`;
  return `${Math.floor(h / 24)} d${h % 24 ? ` ${h % 24} h` : ''}`;
}

export const ago = (iso, now = Date.now()) => (iso ? `${duration(now - Date.parse(iso))} ago` : '—');

export const localTime = (iso) => (iso ? new Date(iso).toLocaleString() : '—');

export function bytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function StatusBadge({ status }) {
  return html`<span class=${`badge badge-${status}`}>${status}</span>`;
}

/** Hands a Blob to the browser as a download named `filename`. */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
