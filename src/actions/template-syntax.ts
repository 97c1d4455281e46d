// The one syntax of templates: {{name}} (spaces inside the braces allowed), used by natural-language
// variables (seed 000) and site manifest inputs (seed 002). templates.ts fills and finds them.

const SOURCE = String.raw`\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}`;

/** Every template of `text`, in order: its span and its name. */
export function templatesOf(text: string): Array<{ start: number; end: number; name: string }> {
  return [...text.matchAll(new RegExp(SOURCE, 'g'))].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    name: m[1],
  }));
}

/** The template starting exactly at `index` of `text`, if one does. */
export function templateAt(text: string, index: number): { end: number; name: string } | undefined {
  if (text[index] !== '{' || text[index + 1] !== '{') return undefined;
  const sticky = new RegExp(SOURCE, 'y');
  sticky.lastIndex = index;
  const m = sticky.exec(text);
  return m ? { end: index + m[0].length, name: m[1] } : undefined;
}

/** The names `text` references, each once. */
export function templateNames(text: string): string[] {
  return [...new Set(templatesOf(text).map((t) => t.name))];
}
