import { Environment } from '../../config/schema';
import { API } from '../api/constants';
import { datastoreMonitoring } from './datastore-monitoring';

/**
 * The `job` labels of the environment's scrape targets in its namespace: one
 * per ServiceMonitor, which leaves `job` at the Service name (the API, and the
 * datastore exporters it runs). `npm run verify` expects every one of them up.
 */
export function scrapeJobs(env: Environment): string[] {
  const { postgresql, redis } = datastoreMonitoring(env);
  return [API.name, ...(postgresql ? [postgresql.job] : []), ...(redis ? [redis.job] : [])];
}
