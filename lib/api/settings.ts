import { EnvironmentSettings } from '../../config/schema';
import { API_VARIABLES } from './constants';
import { uvicornSettings } from './serving';

/**
 * The API's plain (non-secret) environment variables: log level, feature
 * flags, Python settings for a read-only root, and uvicorn's timeouts (serving.ts). The Kubernetes ConfigMap and
 * the Compose api service both take them from here, so the two targets run
 * the API with the same settings. REDIS_URL is added by each target.
 */
export function apiPlainSettings(env: Pick<EnvironmentSettings, 'app'>): Record<string, string> {
  return {
    [API_VARIABLES.logLevel]: env.app.logLevel,
    [API_VARIABLES.enableReranking]: String(env.app.enableRerankingDefault),
    // The root filesystem is read-only: Python must not try to write .pyc files.
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
    ...uvicornSettings(),
  };
}
