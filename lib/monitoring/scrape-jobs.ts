import { Environment } from '../../config/schema';
import { API } from '../api/constants';

/**
 * The `job` labels of the environment's scrape targets in its namespace: one
 * per ServiceMonitor, which leaves `job` at the Service name. `npm run verify`
 * expects every one of them up.
 */
export function scrapeJobs(env: Environment): string[] {
  void env;
  return [API.name];
}
