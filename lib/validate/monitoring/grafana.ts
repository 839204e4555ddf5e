import { arrayAt, get, isObject, stringAt, stringMap } from '../access';
import { promqlErrors } from '../../promql';
import { Finding } from '../finding';
import { finding, Resource } from '../resource';
import { GRAFANA_SIDECAR } from '../../monitoring/grafana-sidecar';


/** Grafana's built-in interval variables, replaced by a duration before parsing. */
const INTERVAL_VARIABLES = /\$(?:__rate_interval|__interval_ms|__interval|__range_s|__range_ms|__range)\b|\$\{(?:__rate_interval|__interval|__range)\}/g;

/** Dashboards in ConfigMaps labelled `grafana_dashboard`: valid JSON, unique uid and panel ids, every query parses. */
export function checkDashboards(configMaps: readonly Resource[]): Finding[] {
  const findings: Finding[] = [];
  const uids = new Map<string, string>();
  for (const r of configMaps) {
    if (!(GRAFANA_SIDECAR.label in stringMap(r.object, 'metadata', 'labels'))) continue;
    for (const [key, text] of Object.entries(stringMap(r.object, 'data'))) {
      if (!key.endsWith('.json')) continue;
      const at = (message: string, rule = 'dashboard', severity: 'error' | 'warning' = 'error') => findings.push(finding(r, severity, rule, ['data', key], message));
      let dashboard: unknown;
      try {
        dashboard = JSON.parse(text);
      } catch (e) {
        at(`is not valid JSON: ${(e as Error).message}`);
        continue;
      }
      if (!isObject(dashboard)) {
        at('is not a dashboard (a JSON object)');
        continue;
      }
      const uid = stringAt(dashboard, 'uid');
      if (!uid) at('dashboard has no uid: Grafana would make a new one on every restart, breaking links');
      else if (uids.has(uid)) at(`dashboard uid "${uid}" is also used by ${uids.get(uid)}`);
      else uids.set(uid, `${r.name} ${key}`);
      const ids = new Map<number, string>();
      for (const panel of allPanels(dashboard)) {
        const title = stringAt(panel, 'title') ?? '(untitled)';
        const id = get(panel, 'id');
        // Grafana numbers panels without an id when it loads them; links to a panel then break when panels are added.
        if (typeof id !== 'number') at(`panel "${title}" has no numeric id: links to it are not stable`, 'dashboard', 'warning');
        else if (ids.has(id)) at(`panel id ${id} is used by both "${ids.get(id)}" and "${title}"`);
        else ids.set(id, title);
        arrayAt(panel, 'targets').forEach((target, i) => {
          const expr = stringAt(target, 'expr');
          if (expr === undefined) return;
          for (const e of promqlErrors(withoutVariables(expr))) at(`panel "${title}" target ${i} (${stringAt(target, 'refId') ?? '?'}): PromQL ${e.message}`, 'promql');
        });
      }
    }
  }
  return findings;
}

/** Panels, including those nested in collapsed rows. */
function allPanels(dashboard: unknown): unknown[] {
  return arrayAt(dashboard, 'panels').flatMap((p) => [p, ...arrayAt(p, 'panels')]);
}

/**
 * A query with Grafana template variables made parseable: interval variables
 * become `5m`; other variables in a range (`[$window]`) too, and elsewhere
 * (outside label values, which are strings anyway) a number.
 */
export function withoutVariables(expr: string): string {
  return expr
    .replace(INTERVAL_VARIABLES, '5m')
    .replace(/\[\s*(?:\$\{?\w+\}?|\[\[\w+\]\])\s*(?=[\]:])/g, '[5m')
    .replace(/(:)\s*(?:\$\{?\w+\}?|\[\[\w+\]\])\s*\]/g, '$15m]')
    .replace(/("(?:[^"\\]|\\.)*")|\$\{\w+(?::\w+)?\}|\$\w+|\[\[\w+\]\]/g, (match, quoted: string | undefined) => quoted ?? '1');
}
