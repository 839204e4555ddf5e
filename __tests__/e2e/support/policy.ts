import { ALERT_CATALOG } from '../../../lib/monitoring/catalog';
import { BusinessHours } from '../../../lib/monitoring/business-hours';
import { BUSINESS_HOURS_LEVELS, mutes, receiverOf } from '../../../lib/monitoring/routing-policy';
import { RoutingPolicy } from './checks';
import { DistEnvironment } from './environment';

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** Is `at` inside the business hours (UTC; Alertmanager time intervals: days inclusive, times [start, end)). */
function insideBusinessHours(hours: BusinessHours, at: Date): boolean {
  const day = at.getUTCDay();
  const onDay = hours.weekdays.some((range) => {
    const [first, last = first] = range.split(':');
    return DAYS.indexOf(first) <= day && day <= DAYS.indexOf(last);
  });
  const minutes = at.getUTCHours() * 60 + at.getUTCMinutes();
  const clock = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  return onDay && clock(hours.start) <= minutes && minutes < clock(hours.end);
}

/**
 * Where each alert must go and what mutes what, from the alert catalog and
 * the environment's settings through the project's routing policy
 * (lib/monitoring/routing-policy.ts: level → receiver, problem → inhibition),
 * not from the generated AlertmanagerConfig, which is what is under test.
 * The levels that wait for business hours notify nobody outside them.
 */
export function routingPolicy(e: DistEnvironment): RoutingPolicy {
  const spec = (name: string) => {
    const a = ALERT_CATALOG.find((x) => x.name === name);
    if (!a) throw new Error(`${name} is not in the alert catalog`);
    return a;
  };
  const full = (receiver: string) => `${e.env.namespace}/${e.alertmanagerConfig.name}/${receiver}`;
  return {
    receiver(alert, at) {
      const a = spec(alert);
      const choice = receiverOf(e.env, a);
      if (choice === 'none') return undefined;
      if (BUSINESS_HOURS_LEVELS.includes(a.level) && !insideBusinessHours(e.env.monitoring.alertmanager.businessHours, at)) return undefined;
      return full(choice);
    },
    mutes(source, target) {
      return mutes(spec(source), spec(target));
    },
  };
}
