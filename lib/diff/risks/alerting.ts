import { get, isObject } from '../../validate/access';
import { Resource } from '../../validate/resource';
import { DiffPath, formatDiffPath, Risk, startsWith } from '../model';
import { Assessment, ObjectDelta, subject } from './delta';

/** Fields of a Prometheus rule that change when, or to whom, it fires. Annotations (summary, runbook) do not. */
const FIRING_FIELDS = new Set(['expr', 'for', 'keep_firing_for', 'labels']);

/** Objects that Prometheus and Alertmanager pick up by label (kube-prometheus-stack's `release` selector). */
const SELECTED_BY_LABEL = new Set(['PrometheusRule', 'ServiceMonitor', 'PodMonitor', 'AlertmanagerConfig']);

/**
 * Labels that describe an object rather than select it (the recommended `app.kubernetes.io/*` set, with the
 * version that changes on every release): a change of any other label may stop Prometheus selecting it.
 */
const DESCRIPTIVE_LABEL = /^(app\.kubernetes\.io|helm\.sh)\//;

const isMonitoring = (r: Resource) => r.apiVersion.startsWith('monitoring.coreos.com/');

/**
 * What pages whom: an alert's expression (and so its threshold), `for:` or
 * labels (severity routes it); a recording rule an alert reads; the
 * AlertmanagerConfig route, receivers and inhibitions; what is scraped; the
 * labels by which Prometheus selects these objects.
 */
export function alertingChanges(delta: ObjectDelta): Partial<Assessment> {
  const r = subject(delta);
  if (!isMonitoring(r)) return {};
  const risks: Risk[] = [];
  const { before, after } = delta;
  if (!before || !after) {
    const what = r.kind === 'PrometheusRule' ? `its alerts: ${ruleNames(r.object, 'alert').join(', ') || 'none'}` : r.kind === 'AlertmanagerConfig' ? 'its routes and receivers' : 'what it scrapes';
    if (r.kind === 'PrometheusRule' || r.kind === 'AlertmanagerConfig' || r.kind === 'ServiceMonitor' || r.kind === 'PodMonitor') {
      risks.push({ kind: 'alerting', message: `${r.kind} ${r.name} ${after ? 'added' : 'removed'}, with ${what}` });
    }
    return { risks };
  }
  if (r.kind === 'PrometheusRule') risks.push(...ruleChanges(delta));
  if (r.kind === 'AlertmanagerConfig') {
    const routing = delta.fields.filter((f) => ['route', 'receivers', 'inhibitRules', 'muteTimeIntervals'].some((k) => startsWith(f.path, ['spec', k])));
    if (routing.length > 0) risks.push({ kind: 'alerting', message: `Alertmanager routing changed: ${[...new Set(routing.map((f) => formatDiffPath(f.path.slice(0, 3))))].join(', ')}` });
  }
  if ((r.kind === 'ServiceMonitor' || r.kind === 'PodMonitor') && delta.fields.some((f) => f.path[0] === 'spec')) {
    risks.push({ kind: 'alerting', message: `${r.kind} ${r.name}: what Prometheus scrapes changed, and with it the metrics the alerts read` });
  }
  const selecting = delta.fields.filter((f) => startsWith(f.path, ['metadata', 'labels']) && !DESCRIPTIVE_LABEL.test(String(f.path[2] ?? '')));
  if (SELECTED_BY_LABEL.has(r.kind) && selecting.length > 0) {
    const labels = selecting.map((f) => formatDiffPath(f.path.slice(2)) || 'all labels').join(', ');
    risks.push({ kind: 'alerting', message: `${r.kind} ${r.name}: label ${labels} changed; Prometheus and Alertmanager select these objects by label (e.g. release): check they still do` });
  }
  return { risks };
}

/**
 * One risk per kind of change: alerts and recording rules whose firing fields
 * changed, or that were added or removed, grouped when several changed alike
 * (a new label on every alert is one line, not thirteen).
 */
function ruleChanges(delta: ObjectDelta): Risk[] {
  const byRule = new Map<string, Set<string>>();
  const labels = new Map<string, Set<string>>();
  for (const f of delta.fields) {
    if (!startsWith(f.path, ['spec', 'groups', '*', 'rules', '*'])) {
      if (startsWith(f.path, ['spec', 'groups', '*', 'interval'])) addTo(byRule, `group ${groupName(f.path)}`, 'evaluation interval');
      else if (startsWith(f.path, ['spec', 'groups', '*']) && f.path.length === 3) {
        const alerts = ruleNames({ spec: { groups: [f.after ?? f.before] } }, 'alert');
        addTo(byRule, `group ${groupName(f.path)}`, `${f.before === undefined ? 'added' : 'removed'}${alerts.length > 0 ? ` with alerts ${alerts.join(', ')}` : ''}`);
      }
      continue;
    }
    const field = f.path[5];
    const rule = ruleAt(delta, f.path.slice(0, 5));
    if (field === undefined) addTo(byRule, rule, f.before === undefined ? 'added' : f.after === undefined ? 'removed' : 'replaced');
    else if (field === 'labels') addTo(labels, rule, formatDiffPath(f.path.slice(6)) || 'all');
    else if (typeof field === 'string' && FIRING_FIELDS.has(field)) addTo(byRule, rule, field === 'expr' ? 'expr (threshold included)' : field);
  }
  for (const [rule, keys] of labels) addTo(byRule, rule, `labels ${[...keys].join(', ')}`);
  const byChange = new Map<string, string[]>();
  for (const [rule, what] of byRule) {
    const change = `${[...what].join(', ')}${rule.startsWith('recording rule') ? ' (the alerts that read it change too)' : ''}`;
    byChange.set(change, [...(byChange.get(change) ?? []), rule]);
  }
  const plural = (rules: string[]) =>
    rules.every((r) => r.startsWith('alert ')) ? 'alerts' : rules.every((r) => r.startsWith('recording rule ')) ? 'recording rules' : 'rules';
  return [...byChange].map(([change, rules]) => ({
    kind: 'alerting' as const,
    message: rules.length === 1 ? `${rules[0]}: ${change}` : `${rules.length} ${plural(rules)} (${rules.map((r) => r.replace(/^(alert|recording rule|group) /, '')).join(', ')}): ${change}`,
  }));
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  if (!map.has(key)) map.set(key, new Set());
  map.get(key)!.add(value);
}

/** `alert HighLatency` or `recording rule job:x:rate5m`, from the path segment or the rule on either side. */
function ruleAt(delta: ObjectDelta, path: DiffPath): string {
  const last = path[path.length - 1];
  if (typeof last === 'object') return last.key === 'alert' ? `alert ${last.value}` : `recording rule ${last.value}`;
  const rule = lookup(delta.after?.object, path) ?? lookup(delta.before?.object, path);
  if (isObject(rule) && typeof rule.alert === 'string') return `alert ${rule.alert}`;
  if (isObject(rule) && typeof rule.record === 'string') return `recording rule ${rule.record}`;
  return formatDiffPath(path);
}

function groupName(path: DiffPath): string {
  const segment = path[2];
  return typeof segment === 'object' ? segment.value : String(segment);
}

/** The value at a path whose list elements are indexes or identities. */
function lookup(root: unknown, path: DiffPath): unknown {
  let node = root;
  for (const segment of path) {
    if (typeof segment === 'object') node = Array.isArray(node) ? node.find((e) => isObject(e) && e[segment.key] === segment.value) : undefined;
    else node = get(node, segment);
    if (node === undefined) return undefined;
  }
  return node;
}

function ruleNames(object: unknown, key: 'alert' | 'record'): string[] {
  const groups = get(object, 'spec', 'groups');
  if (!Array.isArray(groups)) return [];
  return groups.flatMap((g) => {
    const rules = get(g, 'rules');
    return Array.isArray(rules) ? rules.flatMap((rule) => (isObject(rule) && typeof rule[key] === 'string' ? [rule[key] as string] : [])) : [];
  });
}
