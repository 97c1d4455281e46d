// How deep JSON may nest where navis reads or writes it. Past a few thousand levels
// JSON.stringify overflows the stack; no request or answer of navis needs more than a few dozen, so
// request bodies nested deeper than MAX_JSON_DEPTH are a 400 (api/json-body.ts) and a script value
// nested deeper cannot be returned (actions/page-actions.ts evaluate). Imported by every layer, it
// imports nothing.

export const MAX_JSON_DEPTH = 100;

/** Whether `value` nests objects and arrays more than `limit` levels deep; walked without recursion. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current))
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}
