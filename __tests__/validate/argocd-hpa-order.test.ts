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
  if (wave.length === 1 && wave[0] === undefined) delete hpa.metadata.annotations?.[WAVE];
  else if (wave.length === 1) hpa.metadata.annotations = { ...hpa.metadata.annotations, [WAVE]: wave[0] };
  return summarize(findingsOf(objects, { folder: env })).filter((l) => l.startsWith('argocd-hpa-order '));
}
const withHpaWave = (env: keyof typeof rendered, wave: string | undefined) => hpaOrder(env, wave);

describe('argocd-hpa-order: the workload an HPA scales comes no later than the HPA\'s wave', () => {
  it('as rendered: the HPA is in its target\'s wave (the default), the Rollout\'s and the Deployment\'s', () => {
    expect(JSON.parse(rendered.production).find((o: Obj) => o.kind === 'HorizontalPodAutoscaler').metadata.annotations?.[WAVE]).toBeUndefined();
    expect(hpaOrder('production')).toEqual([]);
    expect(hpaOrder('staging')).toEqual([]);
  });

  it('in the same wave the target is applied with the HPA (a Rollout after it, in the same pass), long before the HPA controller\'s first look', () => {
    expect(withHpaWave('production', '0')).toEqual([]);
    expect(withHpaWave('staging', '0')).toEqual([]);
  });

  it('an HPA in an earlier wave than its target: Argo CD waits on it, its first look finds no target, Degraded, the sync fails', () => {
    expect(withHpaWave('production', '-5')).toEqual([
      expect.stringMatching(/^argocd-hpa-order HorizontalPodAutoscaler\/odoo-finder\/ai-odoo-finder spec\.scaleTargetRef: error: its target Rollout "ai-odoo-finder" comes in wave 0, after its wave -5: .*FailedGetScale.*Degraded/),
    ]);
    expect(withHpaWave('staging', '-5')).toEqual([expect.stringMatching(/its target Deployment "ai-odoo-finder" comes in wave 0, after its wave -5/)]);
  });
});
