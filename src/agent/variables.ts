// {{variable_name}} templates (seed 000): interpolated before an action runs (secret ones only
// when a step runs), and put back into the steps stored in the step cache, so the same cached id
// replays with new values.
import { NavisError } from '../errors.js';
import type { PlannedStep } from './types.js';

const TEMPLATE = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

export function referencedVariables(text: string): string[] {
  return [...new Set([...text.matchAll(TEMPLATE)].map((m) => m[1]))];
}

/**
 * Replaces every {{name}}; a name without a value is a 400 that names it. Names in `keep` stay
 * {{name}} (secret variables, in the instruction a planner sees).
 */
export function interpolate(text: string, variables: Record<string, string>, opts: { keep?: ReadonlySet<string> } = {}): string {
  const missing = referencedVariables(text).filter((name) => !(name in variables));
  if (missing.length > 0) {
    throw new NavisError(
      'INVALID_REQUEST',
      `The action references ${missing.map((n) => `{{${n}}}`).join(', ')} but variables has no ${missing.length > 1 ? 'values for them' : 'value for it'}. Add ${missing.map((n) => `"${n}"`).join(', ')} to variables.`,
      { missingVariables: missing },
    );
  }
  return text.replace(TEMPLATE, (_, name: string) => (opts.keep?.has(name) ? `{{${name}}}` : variables[name]));
}

/** Variable values in a step's text put back as {{name}} (longest values first, so one inside another stays whole). */
function templatizeText(text: string, variables: Record<string, string>): string {
  const entries = Object.entries(variables)
    .filter(([, value]) => value.length > 0)
    .sort((a, b) => b[1].length - a[1].length);
  let out = text;
  for (const [name, value] of entries) out = out.split(value).join(`{{${name}}}`);
  return out;
}

/** The step as the cache keeps it. */
export function templatizeStep(step: PlannedStep, variables: Record<string, string>): PlannedStep {
  switch (step.kind) {
    case 'navigate':
      return { ...step, url: templatizeText(step.url, variables) };
    case 'type':
    case 'select':
      return { ...step, value: templatizeText(step.value, variables) };
    case 'wait':
      return step.text ? { ...step, text: templatizeText(step.text, variables) } : step;
    default:
      return step;
  }
}

/** A secret typed from a literal (not a variable) must not be stored: true when the step holds one. */
export function holdsLiteralSecret(step: PlannedStep): boolean {
  return step.kind === 'type' && step.secret === true && !/^\{\{[^}]+\}\}$/.test(step.value.trim());
}
