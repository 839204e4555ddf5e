import { Construct } from 'constructs';
import { Environment } from '../config/schema';
import { API } from '../lib/api/constants';
import { CANARY, HOOKS } from '../lib/delivery/constants';
import { MigrationJob } from '../lib/delivery/migration-job';
import { databaseUrlSecret, isCanary, migrationTarget } from '../lib/delivery/settings';
import { SmokeTestJob } from '../lib/delivery/smoke-test-job';
import { SYNC_WAVE, syncWave } from '../lib/argocd/sync';
import { imageReference, imageVersion } from '../lib/image';
import { recommendedLabels } from '../lib/labels';
import { TokenlessServiceAccount } from '../lib/service-account';
import { EnvironmentChart } from './environment-chart';

/** Argo CD sync hooks of one environment: the migration Job (Sync, before the API) and the smoke test (PostSync). */
export class HooksChart extends EnvironmentChart {
  constructor(scope: Construct, id: string, env: Environment) {
    super(scope, id, env);
    if (!env.migrations.enabled && !env.smokeTest.enabled) return;
    const version = imageVersion(env.image);
    const image = imageReference(env.image);

    const serviceAccount = new TokenlessServiceAccount(this, 'ServiceAccount', {
      metadata: {
        name: HOOKS.serviceAccount,
        labels: recommendedLabels(env, { name: API.name, component: 'hooks' }, version),
        annotations: syncWave(SYNC_WAVE.prerequisites),
      },
    });

    if (env.migrations.enabled) {
      const labels = recommendedLabels(env, HOOKS.migration.identity, version);
      new MigrationJob(this, 'Migration', {
        metadata: { name: HOOKS.migration.name, labels },
        podLabels: labels,
        image,
        serviceAccountName: serviceAccount.name,
        databaseUrl: databaseUrlSecret(env),
        targetRevision: migrationTarget(env),
        activeDeadlineSeconds: env.migrations.activeDeadlineSeconds,
        resources: env.migrations.resources,
      });
    }

    if (env.smokeTest.enabled) {
      const labels = recommendedLabels(env, HOOKS.smokeTest.identity, version);
      new SmokeTestJob(this, 'SmokeTest', {
        metadata: { name: HOOKS.smokeTest.name, labels },
        podLabels: labels,
        image,
        serviceAccountName: serviceAccount.name,
        // With a canary, the stable Service: once the Rollout is Healthy it selects only the promoted pods, while
        // Service/ai-odoo-finder still sends half the requests to the old ones for scaleDownDelaySeconds (30 s with
        // traffic routing: argo-rollouts utils/defaults GetScaleDownDelaySecondsOrDefault; the phase is Healthy
        // meanwhile, utils/rollout/rolloututil.go CalculateRolloutPhase), which is when PostSync starts.
        baseUrl: `http://${isCanary(env) ? CANARY.stableService.name : API.name}:80`,
        searchPath: env.smokeTest.searchPath,
        activeDeadlineSeconds: env.smokeTest.activeDeadlineSeconds,
      });
    }
  }
}
