// asyncDelay of ListVolumeStats: "the length of time since the volume was last synced with the
// remote cluster" (element-api.md §3.5a). The docs type it as an ISO 8601 duration; field scripts
// read "HH:MM:SS.ffffff". Both are parsed to seconds; anything else is undefined, never 0, so a
// caller cannot mistake an unreadable lag for "in sync".

// Years and months have no fixed length in seconds, so a duration using them is not accepted.
const ISO_DURATION = /^P(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;
// Optional day prefix in the two spellings a time span is printed with ("1 day, " / "2 days, " as
// Python prints a timedelta, or "1." as .NET does); hours may exceed 23 without a day prefix.
const CLOCK_DURATION = /^(?:(\d+) days?, |(\d+)\.)?(\d+):([0-5]\d):([0-5]\d(?:\.\d+)?)$/;

const SECONDS = { W: 604800, D: 86400, H: 3600, M: 60, S: 1 } as const;

const num = (text: string | undefined): number => (text === undefined ? 0 : Number(text.replace(',', '.')));

function parseIso(text: string): number | undefined {
  const match = ISO_DURATION.exec(text);
  if (!match) return undefined;
  const [, weeks, days, hours, minutes, seconds] = match;
  // "P" and "PT" alone carry no component and are not valid durations.
  if ([weeks, days, hours, minutes, seconds].every((part) => part === undefined)) return undefined;
  if (text.endsWith('T')) return undefined;
  return num(weeks) * SECONDS.W + num(days) * SECONDS.D + num(hours) * SECONDS.H + num(minutes) * SECONDS.M + num(seconds) * SECONDS.S;
}

function parseClock(text: string): number | undefined {
  const match = CLOCK_DURATION.exec(text);
  if (!match) return undefined;
  const [, pythonDays, dotnetDays, hours, minutes, seconds] = match;
  return num(pythonDays ?? dotnetDays) * SECONDS.D + num(hours) * SECONDS.H + num(minutes) * SECONDS.M + num(seconds);
}

/** Seconds of an asyncDelay value; undefined for null (not paired), absent or unreadable values. */
export function parseAsyncDelay(value: string | null | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const seconds = text.startsWith('P') ? parseIso(text) : parseClock(text);
  return seconds !== undefined && Number.isFinite(seconds) ? seconds : undefined;
}
