import { arrayAt, get, stringAt } from '../access';
import { promqlErrors } from '../../promql';
import { Finding } from '../finding';
import { finding, Resource } from '../resource';
import { ALERT_LABELS, LEVEL_NAMES, LEVELS } from '../../monitoring/alert-spec';

const SEVERITIES = ['critical', 'warning', 'info'];
const REQUIRED_ANNOTATIONS = ['summary', 'description', 'runbook_url'];
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** PrometheusRule: every expression parses, group names are unique, every alert can be routed and acted on. */
export function checkPrometheusRule(r: Resource): Finding[] {
  const findings: Finding[] = [];
  const groups = new Set<string>();
  arrayAt(r.object, 'spec', 'groups').forEach((group, g) => {
    const groupName = stringAt(group, 'name') ?? '';
    if (groups.has(groupName)) findings.push(finding(r, 'error', 'rule-group', ['spec', 'groups', g, 'name'], `group name "${groupName}" is repeated (Prometheus rejects the file)`));
    groups.add(groupName);
    arrayAt(group, 'rules').forEach((rule, i) => {
      const path = ['spec', 'groups', g, 'rules', i];
      const expr = get(rule, 'expr');
      const text = typeof expr === 'number' ? String(expr) : typeof expr === 'string' ? expr : undefined;
      if (text !== undefined) {
        for (const e of promqlErrors(text)) findings.push(finding(r, 'error', 'promql', [...path, 'expr'], `PromQL ${e.message}`));
      }
      const record = stringAt(rule, 'record');
      if (record !== undefined && !METRIC_NAME.test(record)) findings.push(finding(r, 'error', 'rule-name', [...path, 'record'], `"${record}" is not a valid metric name`));
      const alert = stringAt(rule, 'alert');
      if (alert === undefined) return;
      const severity = stringAt(rule, 'labels', 'severity');
      if (!severity) findings.push(finding(r, 'error', 'alert-labels', [...path, ...(get(rule, 'labels') ? ['labels'] : [])], `alert "${alert}" has no labels.severity`));
      else if (!SEVERITIES.includes(severity)) findings.push(finding(r, 'warning', 'alert-labels', [...path, 'labels', 'severity'], `alert "${alert}" has severity "${severity}"; routes expect ${SEVERITIES.join(', ')}`));
      findings.push(...routingLabelFindings(r, alert, rule, path));
      for (const annotation of REQUIRED_ANNOTATIONS) {
        const value = stringAt(rule, 'annotations', annotation);
        if (!value || value.trim() === '') {
          findings.push(finding(r, 'error', 'alert-annotations', [...path, ...(get(rule, 'annotations') ? ['annotations'] : [])], `alert "${alert}" has no annotations.${annotation}`));
        } else if (annotation === 'runbook_url' && !/^https?:\/\/\S+$/.test(value)) {
          findings.push(finding(r, 'error', 'alert-annotations', [...path, 'annotations', annotation], `alert "${alert}" runbook_url "${value}" is not an http(s) URL`));
        }
      }
    });
  });
  return findings;
}

/**
 * The labels the AlertmanagerConfig routes and inhibits on: an alert without
 * a `level` reaches no receiver of ours, one without a `problem` is never
 * muted, and a severity that disagrees with the level mutes or is muted wrongly.
 */
function routingLabelFindings(r: Resource, alert: string, rule: unknown, path: (string | number)[]): Finding[] {
  const level = stringAt(rule, 'labels', ALERT_LABELS.level);
  const problem = stringAt(rule, 'labels', ALERT_LABELS.problem);
  const severity = stringAt(rule, 'labels', ALERT_LABELS.severity);
  const at = [...path, 'labels'];
  const findings: Finding[] = [];
  if (level === undefined || !(LEVEL_NAMES as string[]).includes(level)) {
    findings.push(finding(r, 'error', 'alert-labels', at, `alert "${alert}" has ${level === undefined ? 'no labels.level' : `level "${level}"`}; Alertmanager routes on ${LEVEL_NAMES.join(', ')} only, so it would notify nobody`));
  } else if (severity !== undefined && SEVERITIES.includes(severity) && severity !== LEVELS[level as keyof typeof LEVELS].severity) {
    findings.push(finding(r, 'error', 'alert-labels', [...at, ALERT_LABELS.severity], `alert "${alert}" is ${level} but severity "${severity}"; ${level} means severity "${LEVELS[level as keyof typeof LEVELS].severity}" (inhibition reads severity)`));
  }
  if (!problem) findings.push(finding(r, 'error', 'alert-labels', at, `alert "${alert}" has no labels.problem; inhibition (a critical alert mutes the warnings of its problem) needs it`));
  return findings;
}
