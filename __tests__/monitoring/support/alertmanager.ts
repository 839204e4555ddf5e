import { AlertmanagerConfigSpec, operatorAlertmanagerConfig } from '../../support/prometheus-operator/alertmanager-config';
import { findTool, missingToolMessage } from '../../support/tools';

export type { AlertmanagerConfigSpec };

/** amtool on PATH, or undefined (with CI=true its absence throws, like promtool). */
export const findAmtool = (): string | undefined => findTool('amtool');

export const AMTOOL_HELP = missingToolMessage('amtool', 'the Alertmanager routing tests are SKIPPED');

/**
 * The alertmanager.yml the operator generates from one AlertmanagerConfig
 * (the shared translation of amcfg.go, also run by `npm run e2e`), under a root
 * whose default receiver is `global-default`, with placeholder Secret values.
 */
export function operatorEquivalent(spec: AlertmanagerConfigSpec, namespace: string, name: string): object {
  return operatorAlertmanagerConfig(spec, namespace, name);
}
