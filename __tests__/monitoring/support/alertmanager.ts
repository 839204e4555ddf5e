import {
  AlertmanagerConfigSpec,
  AlertmanagerYml,
  KUBE_PROMETHEUS_STACK_BASE,
  operatorAlertmanagerConfig,
  Route,
} from '../../support/prometheus-operator/alertmanager-config';
import { findTool, missingToolMessage } from '../../support/tools';

export { KUBE_PROMETHEUS_STACK_BASE };
export type { AlertmanagerConfigSpec, AlertmanagerYml, Route };

/** amtool on PATH, or undefined (with CI=true its absence throws, like promtool). */
export const findAmtool = (): string | undefined => findTool('amtool');

export const AMTOOL_HELP = missingToolMessage('amtool', 'the Alertmanager routing tests are SKIPPED');

/**
 * The alertmanager.yml the operator generates from one AlertmanagerConfig
 * merged into `base` (the shared translation of amcfg.go in
 * __tests__/support/prometheus-operator/, also run by `npm run e2e`), with
 * placeholder credentials: for amtool and the inhibition model.
 * `matcherStrategy`: the Alertmanager's alertmanagerConfigMatcherStrategy.
 */
export function operatorEquivalent(
  spec: AlertmanagerConfigSpec,
  namespace: string,
  name: string,
  base: AlertmanagerYml = KUBE_PROMETHEUS_STACK_BASE,
  matcherStrategy: 'OnNamespace' | 'None' = 'OnNamespace',
): AlertmanagerYml {
  return operatorAlertmanagerConfig(spec, namespace, name, { base, matcherStrategy });
}
