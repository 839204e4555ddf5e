import { committedEnvironment, manifestsOf } from '../support/env';
import { findingsOf, Obj, summarize } from './fixtures';

// Rule argocd-hpa-order on the rendered environments: production's HPA scales an Argo Rollout, staging's a Deployment.

const WAVE = 'argocd.argoproj.io/sync-wave';
const rendered = { production: JSON.stringify(manifestsOf(committedEnvironment('production'))), staging: JSON.stringify(manifestsOf(committedEnvironment('staging'))) };

/** The argocd-hpa-order findings of an environment as rendered, or after setting its HPA's sync wave (undefined: no annotation). */
function hpaOrder(env: keyof typeof rendered, ...wave: [] | [string | undefined]): string[] {
  const objects = JSON.parse(rendered[env]) as Obj[];
  const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler');
  if (!hpa) throw new Error(`${env} renders no HPA`);
  if (wave.length === 1 && wave[0] === undefined) delete hpa.metadata.annotations[WAVE];
  else if (wave.length === 1) hpa.metadata.annotations[WAVE] = wave[0];
  return summarize(findingsOf(objects, { folder: env })).filter((l) => l.startsWith('argocd-hpa-order '));
}
const withHpaWave = (env: keyof typeof rendered, wave: string | undefined) => hpaOrder(env, wave);

describe('argocd-hpa-order: Argo CD applies an HPA after the workload it scales', () => {
  it('as rendered: the HPA is in a later wave than the Rollout and the Deployment', () => {
    expect(JSON.parse(rendered.production).find((o: Obj) => o.kind === 'HorizontalPodAutoscaler').metadata.annotations[WAVE]).toBe('1');
    expect(hpaOrder('production')).toEqual([]);
    expect(hpaOrder('staging')).toEqual([]);
  });

  it('an HPA in the Rollout\'s wave: applied before it (a custom kind), Degraded at its first look, the sync fails', () => {
    expect(withHpaWave('production', undefined)).toEqual([
      expect.stringMatching(
        /^argocd-hpa-order HorizontalPodAutoscaler\/odoo-finder\/ai-odoo-finder spec\.scaleTargetRef: error: its target Rollout "ai-odoo-finder" comes in the same wave 0, where Argo CD applies a Rollout after an HPA .*FailedGetScale.*Degraded/,
      ),
    ]);
  });

  it('an HPA in the Deployment\'s wave is applied after it (kindOrder), one in an earlier wave is not', () => {
    expect(withHpaWave('staging', undefined)).toEqual([]);
    expect(withHpaWave('staging', '-5')).toEqual([expect.stringMatching(/its target Deployment "ai-odoo-finder" comes in wave 0, after its wave -5/)]);
  });
});
