import { arrayAt, get, isObject, stringAt, stringMap } from '../access';
import { Finding } from '../finding';
import { Folder } from '../folder';
import { containerPorts, PodTemplateFields } from '../pod-fields';
import { finding, Resource } from '../resource';
import { selects } from '../selectors';

/** ServiceMonitors and PodMonitors scrape something; AlertmanagerConfig routes name real receivers and time intervals. */
export function checkMonitoringReferences(folder: Folder): Finding[] {
  const findings: Finding[] = [];
  for (const monitor of operatorKind(folder, 'ServiceMonitor')) {
    const services = folder.ofKind('Service').filter((s) => inScope(monitor, s.namespace) && selects(get(monitor.object, 'spec', 'selector'), stringMap(s.object, 'metadata', 'labels')));
    if (services.length === 0) {
      findings.push(finding(monitor, 'error', 'servicemonitor-selector', ['spec', 'selector'], 'selects no Service (by the Services\' metadata.labels, in the namespaces of spec.namespaceSelector)'));
      continue;
    }
    arrayAt(monitor.object, 'spec', 'endpoints').forEach((e, i) => {
      const port = stringAt(e, 'port');
      if (get(e, 'targetPort') !== undefined) findings.push(finding(monitor, 'warning', 'servicemonitor-port', ['spec', 'endpoints', i, 'targetPort'], 'targetPort is deprecated: name the Service port and use port'));
      if (port === undefined) return;
      if (!services.some((s) => arrayAt(s.object, 'spec', 'ports').some((p) => stringAt(p, 'name') === port))) {
        findings.push(finding(monitor, 'error', 'servicemonitor-port', ['spec', 'endpoints', i, 'port'], `no selected Service (${services.map((s) => s.name).join(', ')}) has a port named "${port}"`));
      }
    });
  }
  for (const monitor of operatorKind(folder, 'PodMonitor')) {
    const pods = folder.templates.filter((t) => inScope(monitor, t.resource.namespace) && selects(get(monitor.object, 'spec', 'selector'), t.labels));
    if (pods.length === 0) {
      findings.push(finding(monitor, 'error', 'podmonitor-selector', ['spec', 'selector'], 'selects no pods'));
      continue;
    }
    arrayAt(monitor.object, 'spec', 'podMetricsEndpoints').forEach((e, i) => {
      const port = stringAt(e, 'port');
      if (port !== undefined && !pods.some((t) => namedPort(t, port))) {
        findings.push(finding(monitor, 'error', 'podmonitor-port', ['spec', 'podMetricsEndpoints', i, 'port'], `no selected pod has a container port named "${port}"`));
      }
    });
  }
  for (const config of operatorKind(folder, 'AlertmanagerConfig')) {
    const receivers = new Set(arrayAt(config.object, 'spec', 'receivers').map((r) => stringAt(r, 'name')));
    const intervals = new Set(arrayAt(config.object, 'spec', 'muteTimeIntervals').map((r) => stringAt(r, 'name')));
    const walk = (route: unknown, path: (string | number)[]) => {
      if (!isObject(route)) return;
      const receiver = stringAt(route, 'receiver');
      if (receiver !== undefined && !receivers.has(receiver)) {
        findings.push(finding(config, 'error', 'alertmanager-receiver', [...path, 'receiver'], `receiver "${receiver}" is not defined in spec.receivers`));
      }
      // The operator rejects the whole config (prometheus-operator pkg/alertmanager/validation/v1alpha1/validation.go, validateRoute: "time interval %q not found").
      for (const field of ['activeTimeIntervals', 'muteTimeIntervals']) {
        arrayAt(route, field).forEach((name, i) => {
          if (typeof name !== 'string' || !intervals.has(name)) {
            findings.push(finding(config, 'error', 'alertmanager-time-interval', [...path, field, i], `time interval "${String(name)}" is not defined in spec.muteTimeIntervals`));
          }
        });
      }
      arrayAt(route, 'routes').forEach((child, i) => walk(child, [...path, 'routes', i]));
    };
    walk(get(config.object, 'spec', 'route'), ['spec', 'route']);
    // Under alertmanagerConfigMatcherStrategy None the operator adds no namespace matcher (pkg/alertmanager/amcfg.go, getEnforcer: noopEnforcer):
    // a top route without its own would take the alerts of every namespace, another environment's P1 included.
    const top = get(config.object, 'spec', 'route');
    if (isObject(top) && !arrayAt(top, 'matchers').some((m) => isOwnNamespaceMatcher(m, config.namespace))) {
      findings.push(finding(config, 'error', 'alertmanager-namespace', ['spec', 'route', 'matchers'], `the top route has no matcher namespace="${config.namespace ?? ''}": under the operator's matcher strategy None it would route the alerts of every namespace`));
    }
  }
  return findings;
}

/** `namespace="<ns>"`: matchType `=`, or the deprecated form without matchType and without `regex: true`. */
function isOwnNamespaceMatcher(m: unknown, namespace: string | undefined): boolean {
  const type = stringAt(m, 'matchType');
  return stringAt(m, 'name') === 'namespace' && stringAt(m, 'value') === namespace && (type === '=' || (type === undefined && get(m, 'regex') !== true));
}

/** Objects of a prometheus-operator kind (not another API group's kind of the same name). */
function operatorKind(folder: Folder, kind: string): Resource[] {
  return folder.ofKind(kind).filter((r) => r.apiVersion.startsWith('monitoring.coreos.com/'));
}

function namedPort(t: PodTemplateFields, name: string): boolean {
  return t.containers.filter((c) => c.list === 'containers').some((c) => containerPorts(c).some((p) => p.name === name));
}

/** Whether a monitor's namespaceSelector covers a namespace (by default: the monitor's own). */
function inScope(monitor: Resource, namespace: string | undefined): boolean {
  if (get(monitor.object, 'spec', 'namespaceSelector', 'any') === true) return true;
  const names = arrayAt(monitor.object, 'spec', 'namespaceSelector', 'matchNames');
  return names.length > 0 ? names.includes(namespace) : namespace === monitor.namespace;
}
