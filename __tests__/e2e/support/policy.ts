import { ALERT_CATALOG as ALERTS } from '../../../lib/monitoring/catalog';
import { RECEIVERS } from '../../../lib/monitoring/alert-routing';
import { RoutingPolicy } from './checks';
import { DistEnvironment } from './environment';

/**
 * Where each alert must go and what mutes what, from the alert catalog and the
 * environment's settings (not from the generated AlertmanagerConfig, which is
 * what is under test): critical pages where `pageOnCritical` (default: the
 * production tier) and makes a ticket elsewhere, warning makes a ticket, info
 * notifies nobody; a critical alert mutes the warnings of its own alert name.
 */
export function routingPolicy(e: DistEnvironment): RoutingPolicy {
  const spec = (name: string) => {
    const a = ALERTS.find((x) => x.name === name);
    if (!a) throw new Error(`${name} is not in the alert catalog`);
    return a;
  };
  const pages = e.env.monitoring.alertmanager.pageOnCritical ?? e.env.tier === 'production';
  const full = (receiver: string) => `${e.env.namespace}/${e.alertmanagerConfig.name}/${receiver}`;
  return {
    receiver(alert) {
      const { severity } = spec(alert);
      if (severity === 'critical') return full(pages ? RECEIVERS.paging : RECEIVERS.ticket);
      if (severity === 'warning') return full(RECEIVERS.ticket);
      return undefined;
    },
    mutes(source, target) {
      return source === target && spec(source).severity === 'critical' && spec(target).severity === 'warning';
    },
  };
}
