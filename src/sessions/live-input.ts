// What a live viewer may send: mouse, wheel, key and text messages, checked one by one and turned
// into the CDP Input command they ask for, an address typed into the address bar (opened through
// the session's navigation guard, live-viewer.ts), back, forward and reload, and Done (the person finished what an
// authenticate prompt_user step waits for). Anything else (bad JSON, unknown types,
// out-of-range numbers) is dropped here, so a misbehaving page can never reach the browser with
// odd input.
import { z } from 'zod';

export interface InputCommand {
  method: 'Input.dispatchMouseEvent' | 'Input.dispatchKeyEvent' | 'Input.insertText';
  params: Record<string, unknown>;
}

/** CSS pixels; generous, since a session screen is at most 7680x4320. */
const coordinate = z.number().finite().min(-100_000).max(100_000);
/** Alt=1, Ctrl=2, Meta=4, Shift=8, as CDP counts them. */
const modifiers = z.number().int().min(0).max(15).default(0);
const button = z.enum(['none', 'left', 'middle', 'right', 'back', 'forward']);

const MouseMessage = z.object({
  type: z.literal('mouse'),
  event: z.enum(['mousePressed', 'mouseReleased', 'mouseMoved']),
  x: coordinate,
  y: coordinate,
  button: button.default('none'),
  buttons: z.number().int().min(0).max(31).optional(),
  clickCount: z.number().int().min(0).max(10).default(0),
  modifiers,
});

const WheelMessage = z.object({
  type: z.literal('wheel'),
  x: coordinate,
  y: coordinate,
  deltaX: coordinate.default(0),
  deltaY: coordinate.default(0),
  modifiers,
});

const KeyMessage = z.object({
  type: z.literal('key'),
  event: z.enum(['keyDown', 'keyUp', 'char']),
  key: z.string().max(64).default(''),
  code: z.string().max(64).default(''),
  text: z.string().max(16).optional(),
  modifiers,
  windowsVirtualKeyCode: z.number().int().min(0).max(255).optional(),
  location: z.number().int().min(0).max(3).optional(),
});

/** Text typed through an input method or pasted: inserted as is, like a paste into the field. */
const TextMessage = z.object({
  type: z.literal('text'),
  text: z.string().min(1).max(100_000),
});

/** The address bar: open this URL in the page on screen. */
const NavigateMessage = z.object({
  type: z.literal('navigate'),
  url: z.string().min(1).max(8192),
});

/** The back, forward and reload buttons. */
const HistoryMessage = z.object({
  type: z.literal('history'),
  go: z.enum(['back', 'forward', 'reload']),
});
export type HistoryMove = z.infer<typeof HistoryMessage>['go'];

/** The Done control: the person has logged in (authenticate prompt_user without a success condition). */
const DoneMessage = z.object({ type: z.literal('done') });

const ViewerMessage = z.discriminatedUnion('type', [
  MouseMessage,
  WheelMessage,
  KeyMessage,
  TextMessage,
  NavigateMessage,
  HistoryMessage,
  DoneMessage,
]);

export type ViewerRequest = { input: InputCommand } | { navigate: string } | { history: HistoryMove } | { done: true };

/** What a viewer's message asks for: an Input command, a page to open, a step in history, or Done; undefined for anything malformed. */
export function viewerRequest(raw: string): ViewerRequest | undefined {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const parsed = ViewerMessage.safeParse(json);
  if (!parsed.success) return undefined;
  const message = parsed.data;
  if (message.type === 'navigate') return { navigate: addressOf(message.url) };
  if (message.type === 'history') return { history: message.go };
  if (message.type === 'done') return { done: true };
  return { input: inputCommand(message) };
}

/** What a person types into an address bar: `example.com` means https://example.com (the guard judges the rest). */
function addressOf(typed: string): string {
  const text = typed.trim();
  return text.includes('://') ||
    /^(about|data|javascript|view-source|chrome|devtools|file|blob|filesystem):/i.test(text)
    ? text
    : `https://${text}`;
}

function inputCommand(
  message: Exclude<z.infer<typeof ViewerMessage>, { type: 'navigate' | 'history' | 'done' }>,
): InputCommand {
  switch (message.type) {
    case 'mouse': {
      const { event, x, y, button, buttons, clickCount, modifiers } = message;
      return {
        method: 'Input.dispatchMouseEvent',
        params: { type: event, x, y, button, buttons, clickCount, modifiers },
      };
    }
    case 'wheel': {
      const { x, y, deltaX, deltaY, modifiers } = message;
      return { method: 'Input.dispatchMouseEvent', params: { type: 'mouseWheel', x, y, deltaX, deltaY, modifiers } };
    }
    case 'key': {
      const { event, key, code, text, modifiers, windowsVirtualKeyCode, location } = message;
      // A key down that produces no text is a "raw" one for Chromium, as Playwright sends it.
      const type = event === 'keyDown' && !text ? 'rawKeyDown' : event;
      return {
        method: 'Input.dispatchKeyEvent',
        params: {
          type,
          key,
          code,
          text,
          unmodifiedText: text,
          modifiers,
          windowsVirtualKeyCode,
          nativeVirtualKeyCode: windowsVirtualKeyCode,
          location,
        },
      };
    }
    case 'text':
      return { method: 'Input.insertText', params: { text: message.text } };
  }
}
