/*
 * CronJob schedules as Kubernetes 1.28 accepts them: the API server validates
 * `spec.schedule` with robfig/cron v3's `cron.ParseStandard` and refuses any
 * "TZ" in it (pkg/apis/batch/validation/validation.go, validateScheduleFormat:
 * "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"); the
 * CronJob controller parses it the same way. This encodes robfig/cron v3
 * parser.go (ParseStandard = Minute | Hour | Dom | Month | Dow | Descriptor;
 * getField/getRange/parseIntOrName/mustParseInt, parseDescriptor) and the
 * bounds of spec.go. Both the config loader and `npm run validate` use it.
 */

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MONTHS = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAYS = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/** minute, hour, day of month, month, day of week (robfig/cron spec.go: dow is 0–6; 7 is refused). */
const FIELDS: readonly (Bounds & { readonly label: string })[] = [
  { label: 'minute', min: 0, max: 59 },
  { label: 'hour', min: 0, max: 23 },
  { label: 'day of month', min: 1, max: 31 },
  { label: 'month', min: 1, max: 12, names: MONTHS },
  { label: 'day of week', min: 0, max: 6, names: DAYS },
];

const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
/** Go's time.ParseDuration syntax (one or more number+unit pairs), as `@every` takes it. */
const GO_DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$|^0$/;

/** Why the API server would refuse this schedule, or undefined when it accepts it. */
export function cronScheduleProblem(schedule: string): string | undefined {
  if (schedule.length === 0) return 'is empty';
  if (schedule.includes('TZ')) return 'must not contain TZ or CRON_TZ: Kubernetes refuses it (use the CronJob timeZone field)';
  if (schedule.startsWith('@')) {
    if (DESCRIPTORS.has(schedule)) return undefined;
    if (schedule.startsWith('@every ') && GO_DURATION.test(schedule.slice('@every '.length))) return undefined;
    return `unknown descriptor "${schedule}" (known: ${[...DESCRIPTORS].join(', ')}, @every <duration>)`;
  }
  // Go's strings.Fields: split on (Unicode) white space.
  const fields = schedule.split(/\s+/u).filter(Boolean);
  if (fields.length !== 5) return `has ${fields.length} fields; a schedule has exactly 5 (minute hour day-of-month month day-of-week), e.g. "0 3 * * *"`;
  for (let i = 0; i < 5; i++) {
    const problem = fieldProblem(fields[i], FIELDS[i]);
    if (problem) return `${FIELDS[i].label} field "${fields[i]}": ${problem}`;
  }
  return undefined;
}

/** A comma-separated list of ranges (getField; strings.FieldsFunc drops empty items). */
function fieldProblem(field: string, bounds: Bounds): string | undefined {
  for (const expr of field.split(',').filter(Boolean)) {
    const problem = rangeProblem(expr, bounds);
    if (problem) return problem;
  }
  return undefined;
}

/** getRange: `*`, `?`, `N`, `N-M`, each optionally `/step`. */
function rangeProblem(expr: string, bounds: Bounds): string | undefined {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  let start: number | undefined;
  let end: number | undefined;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = bounds.min;
    end = bounds.max;
  } else {
    if (lowAndHigh.length > 2) return 'too many hyphens';
    start = intOrName(lowAndHigh[0], bounds);
    end = lowAndHigh.length === 2 ? intOrName(lowAndHigh[1], bounds) : start;
    if (start === undefined || end === undefined) return `"${lowAndHigh.find((v) => intOrName(v, bounds) === undefined)}" is not a number${bounds.names ? ' or a name' : ''}`;
  }
  let step = 1;
  if (rangeAndStep.length > 2) return 'too many slashes';
  if (rangeAndStep.length === 2) {
    const parsed = goAtoi(rangeAndStep[1]);
    if (parsed === undefined) return `step "${rangeAndStep[1]}" is not a number`;
    step = parsed;
    if (lowAndHigh.length === 1) end = bounds.max; // "N/step" means "N-max/step"
  }
  if (start < bounds.min) return `${start} is below the minimum ${bounds.min}`;
  if (end > bounds.max) return `${end} is above the maximum ${bounds.max}`;
  if (start > end) return `range ${start}-${end} runs backwards`;
  if (step === 0) return 'a step must be a positive number';
  return undefined;
}

/** parseIntOrName: a (lower-cased) name of the field, else mustParseInt. */
function intOrName(expr: string, bounds: Bounds): number | undefined {
  const named = bounds.names?.[expr.toLowerCase()];
  return named ?? goAtoi(expr);
}

/** mustParseInt: Go's strconv.Atoi (optional sign, decimal digits), then negative numbers refused. */
function goAtoi(expr: string): number | undefined {
  if (!/^[+-]?\d+$/.test(expr)) return undefined;
  const n = Number(expr);
  return n < 0 || !Number.isSafeInteger(n) ? undefined : n;
}
