import { AlertSpec } from './alert-spec';
import { ALERTS } from './alerts';
import { DATASTORE_ALERTS } from './datastore-alerts';

/** Every alert any environment may render: the API's and the datastores'. Runbooks and tests read this. */
export const ALERT_CATALOG: readonly AlertSpec[] = [...ALERTS, ...DATASTORE_ALERTS.map((a) => a.spec)];
