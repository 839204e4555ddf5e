import { SmokeTestJob, SmokeTestJobProps } from '../../../lib/delivery/smoke-test-job';
import { at, expectPropsError, only, POD, synthConstruct } from '../../support/constructs';

const props: SmokeTestJobProps = { ...POD, image: 'ghcr.io/ai-odoofinder/api:1.0.0', baseUrl: 'http://demo:80', searchPath: '/api/v1/search?q=sale&limit=1' };
const render = (p: Partial<SmokeTestJobProps> = {}) => only(synthConstruct((chart) => new SmokeTestJob(chart, 'SmokeTest', { ...props, ...p })), 'Job');

describe('SmokeTestJob', () => {
  const job = render();

  it('renders one Job', () => {
    expect(job).toMatchSnapshot();
  });

  it('is a PostSync hook that runs the script once against the base URL and search path', () => {
    expect(job.metadata.annotations).toEqual({ 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' });
    expect(at(job, 'spec', 'backoffLimit')).toBe(0);
    expect(at(job, 'spec', 'template', 'spec', 'containers', 0, 'command').slice(-3)).toEqual([props.baseUrl, props.searchPath, '150']);
    expect(at(job, 'spec', 'activeDeadlineSeconds')).toBe(180);
  });

  it('refuses a base URL with a path and a search path without a leading slash', () => {
    expectPropsError(() => render({ baseUrl: 'http://demo/api' }), 'SmokeTestJob', 'baseUrl');
    expectPropsError(() => render({ searchPath: 'api/v1/search' }), 'SmokeTestJob', 'searchPath');
  });

  it('refuses a deadline that leaves the script less time than the pod start-up', () => {
    expectPropsError(() => render({ activeDeadlineSeconds: 59 }), 'SmokeTestJob', 'activeDeadlineSeconds');
    expect(at(render({ activeDeadlineSeconds: 60 }), 'spec', 'template', 'spec', 'containers', 0, 'command').slice(-1)).toEqual(['30']);
  });
});
