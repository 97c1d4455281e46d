// The secrets of one natural-language run, and the four places they are kept out of:
//  - planners see secret variables as {{name}}, never their values (`maskInput`, one pass over the
//    instruction, history and page snapshot, whatever the planner);
//  - a URL: a step that would open an address holding a secret is refused (`urlRefusal`);
//  - the step cache: a run whose steps or action text hold a secret literal is not stored;
//  - answers, errors and log lines: every secret literal becomes [redacted] (`redact…`).
// A run's secrets are the values of its secret variables (secret_variables, names that look like
// secrets, variables written where a password goes), passwords written in the instruction, and
// whatever was typed into a password field during the run. See secrets.ts for the detection.
import { NavisError } from '../errors.js';
import { isSecretName, secretsWrittenIn } from './secrets.js';
import type { Action, Target } from '../actions/schemas.js';
import type { ElementInfo, PageSnapshot, PlannerInput, StepRecord } from './types.js';
import { templateNames } from '../actions/templates.js';

export const REDACTED = '[redacted]';
/** Shorter values are not looked for inside text (a one-letter secret would match everywhere); a field whose whole value is the secret is masked at any length. */
const MIN_SEARCHED_CHARS = 3;

const decoded = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};
const longestFirst = <T extends [string, string]>(pairs: T[]) =>
  pairs.filter(([, value]) => value.length >= MIN_SEARCHED_CHARS).sort((a, b) => b[1].length - a[1].length);

export class RunSecrets {
  private readonly literals = new Set<string>();

  private constructor(
    private readonly variables: Record<string, string>,
    /** Names of the secret variables of the run. */
    readonly names: ReadonlySet<string>,
    written: string[],
  ) {
    for (const name of names) this.note(variables[name]);
    for (const literal of written) this.note(literal);
  }

  /**
   * The secrets of a run. A name in `listed` (secret_variables) that variables does not have is a
   * 400: most likely a typo, and a typo would let the value it meant reach the model.
   */
  static of(action: string, variables: Record<string, string>, listed: readonly string[] = []): RunSecrets {
    const unknown = [...new Set(listed.filter((name) => !Object.hasOwn(variables, name)))];
    if (unknown.length > 0) {
      const names = unknown.map((n) => `"${n}"`).join(', ');
      throw new NavisError(
        'INVALID_REQUEST',
        `secret_variables names ${names} but variables has no ${unknown.length > 1 ? 'such variables' : 'such variable'}. Add ${names} to variables or remove ${unknown.length > 1 ? 'them' : 'it'} from secret_variables.`,
        { unknownSecretVariables: unknown },
      );
    }
    const written = secretsWrittenIn(action);
    const names = new Set([
      ...listed,
      ...Object.keys(variables).filter(isSecretName),
      ...written.variables.filter((n) => Object.hasOwn(variables, n)),
    ]);
    return new RunSecrets(variables, names, written.literals);
  }

  /** A secret literal of the run from now on, such as a value just typed into a password field. */
  note(value: string | undefined): void {
    if (value) this.literals.add(value);
  }

  /** True while the run has no secret at all (no secret variable, none written or typed). */
  isEmpty(): boolean {
    return this.names.size === 0 && this.literals.size === 0;
  }

  /** Secret variable values → {{name}}: text as a planner may see it. */
  mask(text: string): string {
    let out = text;
    for (const [name, value] of longestFirst(
      [...this.names].map((n) => [n, this.variables[n] ?? ''] as [string, string]),
    ))
      out = out.split(value).join(`{{${name}}}`);
    return out;
  }

  /** What a planner is given: the same input with every secret variable value replaced by {{name}}. */
  maskInput(input: PlannerInput): PlannerInput {
    return {
      instruction: this.mask(input.instruction),
      page: this.maskPage(input.page),
      history: input.history.map((record) => this.maskRecord(record)),
      variables: Object.fromEntries(
        Object.entries(input.variables).map(([name, value]) => [
          name,
          this.names.has(name) ? `{{${name}}}` : this.mask(value),
        ]),
      ),
    };
  }

  /** Every secret literal of the run → [redacted] (URL-encoded forms too). */
  redact(text: string): string {
    let out = text;
    for (const [, value] of longestFirst(this.searched())) out = out.split(value).join(REDACTED);
    return out;
  }

  holdsSecret(text: string): boolean {
    return this.searched().some(([, value]) => value.length >= MIN_SEARCHED_CHARS && text.includes(value));
  }

  /** The answer of a run with no secret in its result, error, detail or steps. */
  redactOutput<T extends { result: string; error?: string; cacheDetail?: string; steps: string[] }>(out: T): T {
    return {
      ...out,
      result: this.redact(out.result),
      steps: out.steps.map((step) => this.redact(step)),
      ...(out.error !== undefined ? { error: this.redact(out.error) } : {}),
      ...(out.cacheDetail !== undefined ? { cacheDetail: this.redact(out.cacheDetail) } : {}),
    };
  }

  /** A thrown error as it may be answered and logged: the same error, or a redacted copy (message, details, stack, causes). */
  redactError(error: unknown, depth = 0): unknown {
    if (!(error instanceof Error) || depth > 5 || !this.errorHolds(error, 0)) return error;
    const cause = (error as { cause?: unknown }).cause;
    const options = cause === undefined ? undefined : { cause: this.redactError(cause, depth + 1) };
    const copy =
      error instanceof NavisError
        ? new NavisError(error.code, this.redact(error.message), this.redactDeep(error.details), options)
        : new Error(this.redact(error.message), options);
    copy.name = error.name;
    if (error.stack) copy.stack = this.redact(error.stack);
    return copy;
  }

  /** Why a step may not open this URL (written: as planned, maybe with {{templates}}; resolved: as it would be opened), or undefined. */
  urlRefusal(written: string, resolved: string): string | undefined {
    const refuse = (what: string) =>
      `a secret may not be sent in a URL: the address would carry ${what}. Open the page without it and type the secret into its field instead.`;
    const texts = [written, resolved, decoded(written), decoded(resolved)];
    const template = texts.flatMap(templateNames).find((name) => this.names.has(name));
    if (template) return refuse(`{{${template}}}`);
    const held = this.searched().find(
      ([, value]) => value.length >= MIN_SEARCHED_CHARS && texts.some((text) => text.includes(value)),
    );
    if (!held) return undefined;
    const variable = [...this.names].find((name) => this.variables[name] === held[0]);
    return refuse(variable ? `the value of {{${variable}}}` : 'a password of this run');
  }

  /** Every secret literal, each with its URL-encoded form: [literal, as searched]. */
  private searched(): Array<[string, string]> {
    return [...this.literals].flatMap((value): Array<[string, string]> => {
      const encoded = encodeURIComponent(value);
      return encoded === value
        ? [[value, value]]
        : [
            [value, value],
            [value, encoded],
          ];
    });
  }

  private errorHolds(error: unknown, depth: number): boolean {
    if (!(error instanceof Error) || depth > 5) return typeof error === 'string' && this.holdsSecret(error);
    const details = error instanceof NavisError && error.details ? JSON.stringify(error.details) : '';
    return (
      [error.message, error.stack ?? '', details].some((text) => this.holdsSecret(text)) ||
      this.errorHolds((error as { cause?: unknown }).cause, depth + 1)
    );
  }

  private redactDeep<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return (value as unknown[]).map((item) => this.redactDeep(item)) as T;
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.redactDeep(v)])) as T;
    return value;
  }

  private maskPage(page: PageSnapshot): PageSnapshot {
    return {
      ...page,
      url: this.mask(page.url),
      title: this.mask(page.title),
      text: this.mask(page.text),
      elements: page.elements.map((el) => this.maskElement(el)),
    };
  }

  private maskElement(el: ElementInfo): ElementInfo {
    const m = (text: string | undefined) => (text === undefined ? undefined : this.mask(text));
    const whole =
      el.value === undefined
        ? undefined
        : [...this.names].find((name) => this.variables[name] && this.variables[name] === el.value);
    const masked: ElementInfo = { ...el, name: this.mask(el.name) };
    for (const key of ['label', 'placeholder', 'text', 'href', 'testId'] as const)
      if (el[key] !== undefined) masked[key] = m(el[key]);
    if (el.value !== undefined) masked.value = whole ? `{{${whole}}}` : this.mask(el.value);
    if (el.options) masked.options = el.options.map((option) => this.mask(option));
    return masked;
  }

  private maskTarget(target: Target): Target {
    const masked: Target = { ...target };
    for (const key of ['name', 'label', 'placeholder', 'text', 'testId'] as const)
      if (target[key] !== undefined) masked[key] = this.mask(target[key]);
    return masked;
  }

  private maskRecord(record: StepRecord): StepRecord {
    const step: Action = { ...record.step };
    if ('target' in step && step.target) step.target = this.maskTarget(step.target);
    if (step.type === 'navigate') step.url = this.mask(step.url);
    if (step.type === 'type' || step.type === 'select') step.text = this.mask(step.text);
    if ((step.type === 'wait' || step.type === 'scroll') && step.text !== undefined) step.text = this.mask(step.text);
    return {
      step,
      summary: this.mask(record.summary),
      ...(record.extracted !== undefined ? { extracted: this.mask(record.extracted) } : {}),
    };
  }
}
