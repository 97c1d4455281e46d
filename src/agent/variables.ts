// {{variable_name}} templates of natural-language actions (seed 000): interpolated before an action
// runs (secret ones only when a step runs), and put back into the steps stored in the step cache,
// so the same cached id replays with new values. The template rules themselves (what a value
// becomes in a URL, when a value turns back into {{name}}) live in actions/templates.ts.
import { fillText, fillUrl, missingNames, templatizeUrl, templatizeValue } from '../actions/templates.js';
import { NavisError } from '../errors.js';
import type { Action } from '../actions/schemas.js';

/**
 * Replaces every {{name}}; a name without a value is a 400 that names it. Names in `keep` stay
 * {{name}} (secret variables, in the instruction a planner sees). `as: 'url'` fills a navigation's
 * address (values percent-encoded inside it).
 */
export function interpolate(
  text: string,
  variables: Record<string, string>,
  opts: { keep?: ReadonlySet<string>; as?: 'text' | 'url' } = {},
): string {
  const missing = missingNames([text], variables);
  if (missing.length > 0) {
    throw new NavisError(
      'INVALID_REQUEST',
      `The action references ${missing.map((n) => `{{${n}}}`).join(', ')} but variables has no ${missing.length > 1 ? 'values for them' : 'value for it'}. Add ${missing.map((n) => `"${n}"`).join(', ')} to variables.`,
      { missingVariables: missing },
    );
  }
  const values = opts.keep
    ? { ...variables, ...Object.fromEntries([...opts.keep].map((name) => [name, `{{${name}}}`])) }
    : variables;
  return opts.as === 'url' ? fillUrl(text, values) : fillText(text, values);
}

/** The step as the cache keeps it; `action` is the action's text, with its {{templates}}. */
export function templatizeStep(step: Action, variables: Record<string, string>, action?: string): Action {
  switch (step.type) {
    case 'navigate':
      return { ...step, url: templatizeUrl(step.url, variables, action) };
    case 'type':
    case 'select':
      return { ...step, text: templatizeValue(step.text, variables, action) };
    case 'wait':
      return step.text ? { ...step, text: templatizeValue(step.text, variables, action) } : step;
    default:
      return step;
  }
}

/** A secret typed from a literal (not a variable) must not be stored: true when the step holds one. */
export function holdsLiteralSecret(step: Action): boolean {
  return step.type === 'type' && step.secret === true && !/^\{\{[^}]+\}\}$/.test(step.text.trim());
}
