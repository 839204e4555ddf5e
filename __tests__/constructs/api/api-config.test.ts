import { ApiConfig } from '../../../lib/api/api-config';
import { expectPropsError, only, synthConstruct, WORKLOAD } from '../../support/constructs';

const build = (data: Record<string, string>) => {
  let config: ApiConfig | undefined;
  const manifests = synthConstruct((chart) => (config = new ApiConfig(chart, 'Config', { metadata: { name: 'demo-config', labels: WORKLOAD.metadata.labels }, data })));
  return { configMap: only(manifests, 'ConfigMap'), config: config! };
};

describe('ApiConfig', () => {
  const { configMap, config } = build({ LOG_LEVEL: 'info', ENABLE_RERANKING_DEFAULT: 'true' });

  it('renders one ConfigMap', () => {
    expect(configMap).toMatchSnapshot();
  });

  it('sorts the keys, and its checksum follows the data, not the order it was given in', () => {
    expect(Object.keys(configMap.data as object)).toEqual(['ENABLE_RERANKING_DEFAULT', 'LOG_LEVEL']);
    expect(config.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(build({ ENABLE_RERANKING_DEFAULT: 'true', LOG_LEVEL: 'info' }).config.checksum).toBe(config.checksum);
    expect(build({ ENABLE_RERANKING_DEFAULT: 'false', LOG_LEVEL: 'info' }).config.checksum).not.toBe(config.checksum);
  });

  it('refuses a key the API server would refuse', () => {
    expectPropsError(() => build({ 'LOG LEVEL': 'info' }), 'ApiConfig', 'data');
  });
});
