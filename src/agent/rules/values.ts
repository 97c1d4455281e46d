// Values as people write them and as fields want them: dates ("tomorrow", "next Friday",
// "2025-03-14"), times ("3pm", "15:30", "noon"), and the option of a dropdown that means the same.
import { similarity, normalize } from './text.js';

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
export const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** Minutes after midnight, or undefined when the words are not a time of day. */
export function parseTime(text: string): number | undefined {
  const written = text
    .trim()
    .toLowerCase()
    .replace(/^at\s+/, '')
    .replace(/\./g, '');
  if (/^(?:noon|midday|12 noon)$/.test(written)) return 12 * 60;
  if (written === 'midnight') return 0;
  const match = /^(\d{1,2})(?:[:h](\d{2}))?\s*(am|pm|a|p|o'?clock|h)?$/.exec(written);
  if (!match || (!match[2] && !match[3])) return undefined;
  let hours = Number(match[1]);
  const minutes = Number(match[2] ?? 0);
  const half = match[3]?.[0];
  if (half === 'p' && hours < 12) hours += 12;
  if (half === 'a' && hours === 12) hours = 0;
  if (hours > 23 || minutes > 59) return undefined;
  return hours * 60 + minutes;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "15:00", the value of an <input type=time> and the most common option label. */
export function formatTime(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

const startOfDay = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate());
const addDays = (date: Date, days: number) => new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);

/** The day the words name, relative to `now` (local time), or undefined. */
export function parseDate(text: string, now: Date): Date | undefined {
  const written = text
    .trim()
    .toLowerCase()
    .replace(/^(?:on|for)\s+/, '')
    .replace(/,/g, '');
  const today = startOfDay(now);
  if (written === 'today') return today;
  if (written === 'tomorrow') return addDays(today, 1);
  if (/^(?:the )?day after tomorrow$/.test(written)) return addDays(today, 2);
  if (written === 'yesterday') return addDays(today, -1);
  const inDays = /^in (\d+|a|one|two|three) (day|week)s?$/.exec(written);
  if (inDays) {
    const count = { a: 1, one: 1, two: 2, three: 3 }[inDays[1]] ?? Number(inDays[1]);
    return addDays(today, count * (inDays[2] === 'week' ? 7 : 1));
  }
  if (written === 'next week') return addDays(today, 7);
  const weekday = /^(?:(next|this|coming) )?(sun|mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?)(?:day)?$/.exec(
    written,
  );
  if (weekday) {
    const target = WEEKDAYS.findIndex((day) => day.startsWith(weekday[2].slice(0, 3)));
    let ahead = (target - today.getDay() + 7) % 7;
    if (ahead === 0 || (weekday[1] === 'next' && ahead < 1)) ahead = 7;
    return addDays(today, ahead);
  }
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(written);
  if (iso) return new Date(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]));
  const slashed = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(written);
  if (slashed) return new Date(Number(slashed[3]), Number(slashed[1]) - 1, Number(slashed[2]));
  const monthFirst = /^([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?(?: (\d{4}))?$/.exec(written);
  const dayFirst = /^(\d{1,2})(?:st|nd|rd|th)? (?:of )?([a-z]+)\.?(?: (\d{4}))?$/.exec(written);
  const named = monthFirst
    ? [monthFirst[1], monthFirst[2], monthFirst[3]]
    : dayFirst
      ? [dayFirst[2], dayFirst[1], dayFirst[3]]
      : undefined;
  if (named) {
    const month = MONTHS.findIndex((name) => name.startsWith(named[0].slice(0, 3)));
    if (month < 0 || named[0].length < 3) return undefined;
    let date = new Date(named[2] ? Number(named[2]) : today.getFullYear(), month, Number(named[1]));
    if (!named[2] && date < today) date = new Date(today.getFullYear() + 1, month, Number(named[1]));
    return date;
  }
  return undefined;
}

/**
 * A date as a field wants it: the field's placeholder when it shows a format ("mm/dd/yyyy",
 * "DD.MM.YYYY"), else ISO 8601, which is also what <input type=date> takes.
 */
export function formatDate(date: Date, placeholder?: string): string {
  const parts: Record<string, string> = {
    yyyy: String(date.getFullYear()),
    mm: pad(date.getMonth() + 1),
    dd: pad(date.getDate()),
  };
  const format = placeholder?.toLowerCase().match(/^(yyyy|mm|dd)([./-])(yyyy|mm|dd)\2(yyyy|mm|dd)$/);
  if (format) return [format[1], format[3], format[4]].map((part) => parts[part]).join(format[2]);
  return `${parts.yyyy}-${parts.mm}-${parts.dd}`;
}

/** The option that means `value`: the same words, the same time or day, else the closest words. */
export function matchOption(options: string[], value: string, now: Date): string | undefined {
  const wanted = normalize(value);
  const exact = options.find((option) => normalize(option) === wanted);
  if (exact !== undefined) return exact;
  const time = parseTime(value);
  if (time !== undefined) {
    const same = options.find((option) => parseTime(option) === time);
    if (same !== undefined) return same;
  }
  const day = parseDate(value, now);
  if (day) {
    const same = options.find((option) => parseDate(option, now)?.getTime() === day.getTime());
    if (same !== undefined) return same;
  }
  let best: { option: string; score: number } | undefined;
  for (const option of options) {
    const score = similarity(value, option);
    if (score >= 0.6 && (!best || score > best.score)) best = { option, score };
  }
  return best?.option;
}
