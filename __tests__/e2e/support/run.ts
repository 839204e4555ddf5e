import { ROOT } from '../../support/env';
import { AlertmanagerYml, KUBE_PROMETHEUS_STACK_BASE } from '../../support/prometheus-operator/alertmanager-config';
import { main as verify } from '../../../lib/verify/cli';
import { PanelResult } from './checks';
import { DistEnvironment } from './environment';
import { panelQueries } from './panels';
import { RunningScenario } from './scenario';

/**
 * Secret values as the e2e stands them in: Slack webhook URLs point at the
 * recorder (path = Secret name/key), PagerDuty routing keys name their Secret key.
 */
export const e2eSecrets = (recorderUrl: string) => (ref: { name: string; key: string }) =>
  /url/i.test(ref.key) ? `${recorderUrl}/slack/${ref.name}/${ref.key}` : `routing-key:${ref.name}/${ref.key}`;

/**
 * The Alertmanager's own configuration before the operator adds ours:
 * kube-prometheus-stack's default, with the PagerDuty Events API URL
 * (global `pagerduty_url`) pointed at the recorder.
 */
export const e2eAlertmanagerBase = (recorderUrl: string): AlertmanagerYml => ({
  ...KUBE_PROMETHEUS_STACK_BASE,
  global: { ...(KUBE_PROMETHEUS_STACK_BASE.global as object), pagerduty_url: `${recorderUrl}/pagerduty` },
});

/** Runs every panel query of the environment's dashboard against the scenario's Prometheus. */
export async function queryPanels(s: RunningScenario, e: DistEnvironment): Promise<PanelResult[]> {
  const results: PanelResult[] = [];
  for (const q of panelQueries(e.dashboard)) {
    try {
      results.push({ ...q, series: (await s.prometheus.query(q.expr)).result.length });
    } catch (err) {
      results.push({ ...q, series: 0, error: (err as Error).message });
    }
  }
  return results;
}

export interface VerifyRun {
  readonly args: string[];
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** `npm run verify` (in process) against a URL, the release being `since` (the start of the simulation). */
export async function runVerify(url: string, since: number, envName: string, extra: string[] = []): Promise<VerifyRun> {
  const args = ['--env', envName, '--prometheus', url, '--since', String(Math.floor(since)), '--timeout', '5', ...extra];
  let out = '';
  let err = '';
  const code = await verify(args, ROOT, { out: (t) => (out += t), err: (t) => (err += `${t}\n`) });
  return { args, code, out, err };
}
