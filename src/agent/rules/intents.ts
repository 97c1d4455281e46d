// What the rule planner understood an instruction to ask, clause by clause: the intents that
// parse.ts produces from words and plan.ts turns into steps against the page.
import type { ClickHow } from '../targets.js';
import type { TargetPhrase } from './phrases.js';

interface Base {
  /** The clause as written, for messages: `could not find "Sumbit" to click`. */
  clause: string;
}

export type ExtractWhat =
  /** The page's main text. */
  | { kind: 'page'; description: string }
  | { kind: 'title'; description: string }
  /** Every item of the list the words name ("the list of todo items" → words "todo"). */
  | { kind: 'list'; description: string; words: string }
  | { kind: 'element'; description: string; target: TargetPhrase }
  /** "the price of Green Kettle": `field` in the list item, card or table row of the thing named `of`. */
  | { kind: 'field'; description: string; field: string; of: string }
  /** "the product names": the name of each item of the list the words name. */
  | { kind: 'names'; description: string; words: string }
  /** "the status message", "the error": what the page's status or alert region says. */
  | { kind: 'status'; description: string };

export type Intent = Base &
  (
    | { verb: 'navigate'; url: string }
    | { verb: 'reload' }
    /** "go back", "go forward": the tab's history. */
    | { verb: 'history'; direction: 'back' | 'forward' }
    /** "Navigate to Pricing": a link or button named so, never a guessed address. */
    | { verb: 'open'; target: TargetPhrase }
    /** `openers`: words of buttons that may reveal the target (a "Create" button opening a form). */
    | { verb: 'click'; target: TargetPhrase; openers?: string[]; how?: ClickHow }
    | {
        verb: 'type';
        value: string;
        target?: TargetPhrase;
        valueKind?: 'date' | 'time';
        openers?: string[];
        /** "in all lower case letters": how the value is to be written. */
        transform?: 'lower' | 'upper';
        /** "an item that starts with "Pol"": type the start, then pick the suggestion that fits. */
        pick?: { startsWith?: string; endsWith?: string };
        /** "into both text fields": the same value into every field the target describes. */
        all?: boolean;
        /** "the value of Color": read beside those words on the page (a table row, a label), then typed. */
        valueFrom?: string;
        /** "copy the text in the text area, paste it into Name": the value that element holds. */
        copyFrom?: TargetPhrase;
        /** "find the 3rd word in the paragraph, type that into …": that word of that text (-1: the last). */
        wordFrom?: { nth: number; source: TargetPhrase };
      }
    /** `add`: one more of several options asked for in one clause (kept with the others in a multi-select). */
    | { verb: 'select'; value: string; target?: TargetPhrase; add?: boolean }
    /** "Select File > Save": each item of the path in turn, the last one clicked. */
    | { verb: 'menu'; path: string[] }
    /** "expand the Billing section", "collapse all": a section opened or closed (no target: the only one). */
    | { verb: 'expand'; target?: TargetPhrase; open: boolean }
    /** "enter the value that corresponds with each label into the form": each field from the page's own text. */
    | { verb: 'fillFromPage' }
    /** "close the dialog", "dismiss the banner": its close control, else Escape. */
    | { verb: 'close'; target?: TargetPhrase }
    /** `together`: the whole list as one name, for a box called "Terms and Conditions". */
    | { verb: 'check'; items: TargetPhrase[]; checked: boolean | 'toggle'; together?: TargetPhrase }
    | { verb: 'press'; key: string; target?: TargetPhrase }
    | { verb: 'focus'; target: TargetPhrase }
    | { verb: 'hover'; target: TargetPhrase }
    | { verb: 'scroll'; direction?: 'up' | 'down' | 'top' | 'bottom'; target?: TargetPhrase }
    | { verb: 'wait'; ms?: number; text?: string; target?: TargetPhrase }
    | { verb: 'extract'; what: ExtractWhat }
  );

export type ParseResult = { ok: true; intents: Intent[] } | { ok: false; error: string };
