import { EnvironmentSettings } from '../../config/schema';

/**
 * The API's plain (non-secret) environment variables: log level, feature
 * flags and Python settings for a read-only root. The Kubernetes ConfigMap and
 * the Compose api service both take them from here, so the two targets run
 * the API with the same settings. REDIS_URL is added by each target.
 */
export function apiPlainSettings(env: Pick<EnvironmentSettings, 'app'>): Record<string, string> {
  return {
    LOG_LEVEL: env.app.logLevel,
    ENABLE_RERANKING_DEFAULT: String(env.app.enableRerankingDefault),
    // The root filesystem is read-only: Python must not try to write .pyc files.
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
  };
}
