// Usage: natural-language actions and the credits they cost, per day over the last days, as a
// plain SVG bar chart, with the totals navis counts for the same period.
import { html, useState } from '../vendor/preact-htm.js';
import { api } from '../api.js';
import { ErrorBox, Loading, useLoad } from '../ui.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** GET /public/usage answers at most this many recent runs: the chart counts those. */
const MAX_RUNS = 1000;

export function UsagePage() {
  const [days, setDays] = useState(14);
  const since = startOfDay(Date.now() - (days - 1) * DAY_MS);
  const usage = useLoad(
    () => api('public/usage', { query: { since: new Date(since).toISOString(), limit: MAX_RUNS } }),
    [since],
  );
  const u = usage.data;
  const perDay = u ? byDay(u.recent, since, days) : [];
  return html`<section>
    <h1>Usage</h1>
    <div class="toolbar">
      <label
        >Period
        <select value=${days} onChange=${(e) => setDays(Number(e.target.value))}>
          ${[7, 14, 30, 90].map((d) => html`<option value=${d}>last ${d} days</option>`)}
        </select>
      </label>
    </div>
    <${ErrorBox} error=${usage.error} />
    <${Loading} when=${usage.loading && !u} />
    ${u &&
    html`<table class="facts">
        <tbody>
          <tr>
            <th>Actions</th>
            <td>${u.actions} (${u.cached_actions} from the cache, ${u.failed_actions} failed)</td>
          </tr>
          <tr>
            <th>Credits</th>
            <td>${u.total_credits}</td>
          </tr>
        </tbody>
      </table>
      <${Chart} days=${perDay} />
      ${u.recent.length >= MAX_RUNS &&
      html`<p class="muted small">The chart counts the latest ${MAX_RUNS} runs of the period; the totals count all.</p>`}`}
  </section>`;
}

function startOfDay(ms) {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

function byDay(runs, since, days) {
  const buckets = Array.from({ length: days }, (_, i) => ({ day: new Date(since + i * DAY_MS), actions: 0, credits: 0 }));
  for (const run of runs) {
    const index = Math.floor((startOfDay(Date.parse(run.at)) - since) / DAY_MS);
    if (index < 0 || index >= days) continue;
    buckets[index].actions += 1;
    buckets[index].credits += run.credits;
  }
  return buckets;
}

const W = 760;
const H = 220;
const PAD = { top: 16, right: 12, bottom: 36, left: 40 };

function Chart({ days }) {
  const max = Math.max(1, ...days.flatMap((d) => [d.actions, d.credits]));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / days.length;
  const bar = Math.max(2, slot / 2 - 3);
  const y = (v) => PAD.top + plotH - (v / max) * plotH;
  const every = Math.ceil(days.length / 14);
  return html`<figure class="chart">
    <svg viewBox=${`0 0 ${W} ${H}`} role="img" aria-label="Actions and credits per day">
      <line class="axis" x1=${PAD.left} y1=${PAD.top + plotH} x2=${W - PAD.right} y2=${PAD.top + plotH} />
      <text class="tick" x=${PAD.left - 6} y=${PAD.top + 4} text-anchor="end">${max}</text>
      <text class="tick" x=${PAD.left - 6} y=${PAD.top + plotH} text-anchor="end">0</text>
      ${days.map((d, i) => {
        const x = PAD.left + i * slot + 2;
        const label = d.day.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
        return html`<g key=${i}>
          <rect class="bar-actions" x=${x} y=${y(d.actions)} width=${bar} height=${PAD.top + plotH - y(d.actions)}>
            <title>${label}: ${d.actions} actions</title>
          </rect>
          <rect class="bar-credits" x=${x + bar + 1} y=${y(d.credits)} width=${bar} height=${PAD.top + plotH - y(d.credits)}>
            <title>${label}: ${d.credits} credits</title>
          </rect>
          ${i % every === 0 &&
          html`<text class="tick" x=${x + bar} y=${H - PAD.bottom + 16} text-anchor="middle">${label}</text>`}
        </g>`;
      })}
    </svg>
    <figcaption>
      <span class="key key-actions"></span> actions <span class="key key-credits"></span> credits (per day)
    </figcaption>
  </figure>`;
}
