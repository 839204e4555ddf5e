import { cronScheduleProblem } from '../cron';
import { DNS_1035_LABEL, DNS_LABEL, DNS_SUBDOMAIN, isLabelValue, isQualifiedKey } from '../kubernetes-syntax';
import { arrayAt, get, isObject, objectAt, stringAt } from './access';
import { Finding } from './finding';
import { PodTemplateFields, podTemplateOf } from './pod-fields';
import { finding, Resource } from './resource';
import { selects } from './selectors';

// Validation the API server does beyond the OpenAPI schema, for the mistakes
// that reach dist/ most often: names, labels, selectors, volume mounts, cron schedules.

/** IANA service name: what container port names must be. */
const PORT_NAME = /^(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Kinds whose name must be a DNS label (no dots, at most 63 characters). */
const DNS_LABEL_KINDS = new Set(['Namespace', 'Service', 'StatefulSet', 'CronJob']);
/** Workloads whose spec.selector must select their own template (Jobs generate theirs). */
const SELECTOR_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

export function checkApiRules(r: Resource): Finding[] {
  const findings: Finding[] = [];
  const add = (rule: string, path: (string | number)[], message: string) => findings.push(finding(r, 'error', rule, path, message));
  if (r.name) {
    const dnsLabel = DNS_LABEL_KINDS.has(r.kind);
    const max = r.kind === 'CronJob' ? 52 : dnsLabel ? 63 : 253;
    // Service names are DNS-1035 labels: they start with a letter.
    const pattern = r.kind === 'Service' ? DNS_1035_LABEL : dnsLabel ? DNS_LABEL : DNS_SUBDOMAIN;
    if (!pattern.test(r.name) || r.name.length > max) {
      const start = r.kind === 'Service' ? ', starting with a letter' : '';
      add('names', ['metadata', 'name'], `"${r.name}" is not a valid ${r.kind} name: lower-case letters, digits and '-'${dnsLabel ? '' : " or '.'"}${start}, at most ${max} characters`);
    }
  }
  findings.push(...checkLabels(r, ['metadata']));
  const template = podTemplateOf(r);
  if (template) {
    if (template.path.length > 0) findings.push(...checkLabels(r, [...template.path, 'metadata']));
    findings.push(...checkPodSpec(template));
    const selector = get(r.object, 'spec', 'selector');
    if (SELECTOR_KINDS.has(r.kind) && isObject(selector) && !selects(selector, template.labels)) {
      add('selector-match', ['spec', 'selector'], 'does not select the labels of spec.template.metadata.labels (the API server rejects this)');
    }
  }
  if (r.kind === 'CronJob') {
    const schedule = stringAt(r.object, 'spec', 'schedule');
    const problem = schedule === undefined ? undefined : cronScheduleProblem(schedule);
    if (problem) add('cron-schedule', ['spec', 'schedule'], `"${schedule}" is not a cron schedule the API server accepts: ${problem}`);
  }
  if (r.kind === 'HorizontalPodAutoscaler') {
    const min = get(r.object, 'spec', 'minReplicas');
    const max = get(r.object, 'spec', 'maxReplicas');
    if (typeof min === 'number' && typeof max === 'number' && min > max) add('hpa-range', ['spec', 'minReplicas'], `minReplicas ${min} is greater than maxReplicas ${max}`);
  }
  if (r.kind === 'PodDisruptionBudget' && get(r.object, 'spec', 'minAvailable') !== undefined && get(r.object, 'spec', 'maxUnavailable') !== undefined) {
    add('pdb-spec', ['spec'], 'sets both minAvailable and maxUnavailable; the API server accepts only one');
  }
  if (r.kind === 'ConfigMap') {
    for (const key of Object.keys(objectAt(r.object, 'data') ?? {})) {
      if (!/^[-._a-zA-Z0-9]+$/.test(key) || key.length > 253) add('names', ['data', key], `"${key}" is not a valid ConfigMap key: letters, digits, '-', '_' and '.'`);
    }
  }
  return findings;
}

function checkLabels(r: Resource, metadataPath: (string | number)[]): Finding[] {
  const findings: Finding[] = [];
  for (const field of ['labels', 'annotations']) {
    for (const [key, value] of Object.entries(objectAt(r.object, ...metadataPath, field) ?? {})) {
      const path = [...metadataPath, field, key];
      if (!isQualifiedKey(key)) findings.push(finding(r, 'error', 'labels', path, `"${key}" is not a valid ${field === 'labels' ? 'label' : 'annotation'} key ([prefix/]name, name at most 63 characters of letters, digits, '-', '_', '.')`));
      if (field === 'labels' && typeof value === 'string' && !isLabelValue(value)) {
        findings.push(finding(r, 'error', 'labels', path, `"${value}" is not a valid label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`));
      }
    }
  }
  return findings;
}

function checkPodSpec(t: PodTemplateFields): Finding[] {
  const findings: Finding[] = [];
  const r = t.resource;
  const volumes = new Set<string>();
  arrayAt(t.spec, 'volumes').forEach((v, i) => {
    const name = stringAt(v, 'name') ?? '';
    if (volumes.has(name)) findings.push(finding(r, 'error', 'unique-names', [...t.specPath, 'volumes', i, 'name'], `volume name "${name}" is used twice`));
    volumes.add(name);
  });
  for (const claim of arrayAt(r.object, 'spec', 'volumeClaimTemplates')) volumes.add(stringAt(claim, 'metadata', 'name') ?? '');
  const containerNames = new Set<string>();
  for (const c of t.containers) {
    if (containerNames.has(c.name)) findings.push(finding(r, 'error', 'unique-names', [...c.path, 'name'], `container name "${c.name}" is used twice in the pod`));
    containerNames.add(c.name);
    if (!DNS_LABEL.test(c.name)) findings.push(finding(r, 'error', 'names', [...c.path, 'name'], `"${c.name}" is not a valid container name (a DNS label)`));
    arrayAt(c.container, 'volumeMounts').forEach((m, i) => {
      const name = stringAt(m, 'name');
      if (name !== undefined && !volumes.has(name)) findings.push(finding(r, 'error', 'volume-mount', [...c.path, 'volumeMounts', i, 'name'], `container "${c.name}" mounts volume "${name}", which the pod does not define`));
    });
    const portNames = new Set<string>();
    const portKeys = new Map<string, number>();
    arrayAt(c.container, 'ports').forEach((p, i) => {
      // ports is a list map keyed by containerPort and protocol (x-kubernetes-list-map-keys): server-side apply
      // rejects a duplicate, and client-side apply merges by containerPort alone, corrupting the list (kubernetes#108255).
      const number = get(p, 'containerPort');
      const protocol = stringAt(p, 'protocol') ?? 'TCP';
      const key = `${String(number)}/${protocol}`;
      if (typeof number === 'number' && portKeys.has(key)) {
        findings.push(finding(r, 'error', 'duplicate-port', [...c.path, 'ports', i], `container "${c.name}" declares port ${number}/${protocol} twice (also ports[${portKeys.get(key)}]): server-side apply refuses it and client-side apply merges the two`));
      } else portKeys.set(key, i);
      const name = stringAt(p, 'name');
      if (name === undefined) return;
      if (!PORT_NAME.test(name) || name.length > 15) findings.push(finding(r, 'error', 'names', [...c.path, 'ports', i, 'name'], `port name "${name}" is not valid: at most 15 lower-case letters, digits and '-', with a letter`));
      if (portNames.has(name)) findings.push(finding(r, 'error', 'unique-names', [...c.path, 'ports', i, 'name'], `port name "${name}" is used twice in container "${c.name}"`));
      portNames.add(name);
    });
  }
  return findings;
}
