import { Chart } from 'cdk8s';
import { isCompose } from '../../lib/compose/render';
import { loadEnvironments } from '../../lib/config/load';
import { renderEnvironments } from '../../lib/synth/synthesize';
import { ROOT } from '../support/env';

/**
 * Each chart is rendered (chart.toJson(), cdk8s' resolve and sort of every
 * object) once per synth: buildEnvironment reads the workload charts' objects
 * for their Secret keys, and synth then writes those same objects.
 */
describe('rendering an environment', () => {
  afterEach(() => jest.restoreAllMocks());

  it('renders each of its charts once', () => {
    const toJson = jest.spyOn(Chart.prototype, 'toJson');
    const envs = loadEnvironments(ROOT).filter((e) => !isCompose(e));
    const rendered = renderEnvironments(envs);
    const charts = toJson.mock.contexts as Chart[];
    expect(charts.length).toBeGreaterThan(envs.length * 5);
    expect(new Set(charts).size).toBe(charts.length);
    expect(rendered.flatMap((r) => r.manifests).length).toBeGreaterThan(50);
  });
});
