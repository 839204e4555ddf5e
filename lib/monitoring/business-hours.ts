import type { AlertmanagerConfigSpecMuteTimeIntervals } from '../../imports/alertmanagerconfigs-monitoring.coreos.com';

/** `monday` or `monday:friday`, lowercase (the CRD's WeekdayRange pattern, which also accepts other cases). */
export const WEEKDAY_RANGE_PATTERN = '^(sun|mon|tues|wednes|thurs|fri|satur)day(:(sun|mon|tues|wednes|thurs|fri|satur)day)?$';
/** `HH:MM` from 00:00 to 23:59, or 24:00 (the CRD's TimeRange pattern). */
export const CLOCK_TIME_PATTERN = '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$';

/** Name of the time interval in the AlertmanagerConfig (the operator prefixes it with `<namespace>/<config name>/`). */
export const BUSINESS_HOURS_INTERVAL = 'business-hours';

/** `monitoring.alertmanager.businessHours`: when P4 alerts may notify, in UTC. */
export interface BusinessHours {
  readonly weekdays: readonly string[];
  readonly start: string;
  readonly end: string;
}

// Alertmanager numbers days from Sunday (timeinterval/timeinterval.go, daysOfWeek).
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/**
 * What Alertmanager 0.25 refuses when it loads the interval
 * (timeinterval/timeinterval.go: "start time cannot be equal or greater than
 * end time", "start day cannot be before end day"): start must be before end,
 * and a day range must run forward within one week (Sunday first).
 */
export function businessHoursProblems(hours: BusinessHours): { key: string; message: string }[] {
  const problems: { key: string; message: string }[] = [];
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  if (minutes(hours.start) >= minutes(hours.end)) problems.push({ key: 'start', message: `is ${hours.start}, not before end (${hours.end}); Alertmanager refuses such a time range` });
  hours.weekdays.forEach((range, i) => {
    const [first, last = first] = range.split(':');
    if (DAYS.indexOf(first) > DAYS.indexOf(last)) {
      problems.push({ key: `weekdays.${i}`, message: `"${range}" runs backwards: Alertmanager's week starts on Sunday, so write e.g. "monday:friday" or list "saturday" and "sunday" apart` });
    }
  });
  return problems;
}

/** The AlertmanagerConfig time interval of the business hours. */
export function businessHoursInterval(hours: BusinessHours): AlertmanagerConfigSpecMuteTimeIntervals {
  return {
    name: BUSINESS_HOURS_INTERVAL,
    timeIntervals: [{ weekdays: [...hours.weekdays], times: [{ startTime: hours.start, endTime: hours.end }] }],
  };
}
