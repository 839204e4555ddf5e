import { Environment } from '../../../config/schema';
import { API } from '../../api/constants';
import { migrationCommand } from '../../delivery/migration-command';
import { migrationTarget } from '../../delivery/settings';
import { SMOKE_TEST_BUDGET_SECONDS, SMOKE_TEST_SCRIPT } from '../../delivery/smoke-test-job';
import { imageReference } from '../../image';
import { COMPOSE_FILES, RELEASE_FILES, SERVICES } from '../constants';
import { datastoreUrls } from '../compose-file';
import { referencedVariables, STACK_VARIABLES } from '../variables';

/** Seconds between two looks at a service's health. */
const POLL_SECONDS = 5;

/**
 * Restarts of a service's container tolerated while deploy.sh waits for it; one more is a crash loop.
 * Docker restarts a crashed container (restart: unless-stopped) after 100 ms, doubling up to 1 min and
 * back to 100 ms once it ran 10 s (moby daemon/internal/restartmanager/restartmanager.go), so a loop
 * shows as a RestartCount that grows, and only for moments as the state "restarting". One restart is
 * recovery (e.g. api losing its first connection while PostgreSQL finishes starting); a second is not.
 */
const RESTARTS_TOLERATED = 1;

/** Lines of a failed service's log that the scripts print (docker logs --tail). */
const LOG_LINES = 20;

/** What deploy.sh and rollback.sh are rendered from: everything the environment decides, nothing the server does. */
export interface ScriptSettings {
  readonly environment: string;
  readonly configFile: string;
  /**
   * The Compose project name (the environment's namespace). A DNS label, so both Compose versions put it
   * unchanged in the com.docker.compose.project label (docker-compose 1.29 lowercases it and drops other
   * characters, compose/cli/command.py normalize_name; v2 lowercases it).
   */
  readonly project: string;
  readonly image: string;
  readonly composeFile: string;
  readonly releaseFiles: readonly string[];
  readonly requiredVariables: readonly string[];
  /** The variables in the API's URLs (`datastoreUrls`): URL-safe characters only. */
  readonly urlVariables: readonly string[];
  readonly waitAttempts: number;
  readonly pollSeconds: number;
  /** Restarts of a container tolerated while waiting for it to be healthy. */
  readonly restartsTolerated: number;
  /** Lines of a failed service's log to print. */
  readonly logLines: number;
  readonly migrations: {
    readonly enabled: boolean;
    /** `head` or an alembic revision (migrations.targetRevision). */
    readonly target: string;
    /** The migration hook's command to `head`. */
    readonly toHead: readonly string[];
    /** The migration hook's command to a revision, without the revision (appended at run time). */
    readonly toRevision: readonly string[];
  };
  readonly smokeTest: { readonly enabled: boolean; readonly script: string; readonly baseUrl: string; readonly searchPath: string; readonly budgetSeconds: number };
  readonly backup: { readonly enabled: boolean; readonly keep: number; readonly user: string; readonly database: string };
}

const REVISION_PLACEHOLDER = 'REVISION';

export function scriptSettings(env: Environment): ScriptSettings {
  const toRevision = migrationCommand(REVISION_PLACEHOLDER);
  if (toRevision[toRevision.length - 1] !== REVISION_PLACEHOLDER) throw new Error('the migration command no longer ends with its target revision');
  return {
    environment: env.name,
    configFile: env.file,
    project: env.namespace,
    image: imageReference(env.image),
    composeFile: COMPOSE_FILES.compose,
    releaseFiles: RELEASE_FILES,
    requiredVariables: STACK_VARIABLES.map((v) => v.name),
    urlVariables: referencedVariables(Object.values(datastoreUrls(env)).join('\n')),
    waitAttempts: Math.ceil(env.compose.waitSeconds / POLL_SECONDS),
    pollSeconds: POLL_SECONDS,
    restartsTolerated: RESTARTS_TOLERATED,
    logLines: LOG_LINES,
    migrations: {
      enabled: env.migrations.enabled,
      target: migrationTarget(env),
      toHead: migrationCommand('head'),
      toRevision: toRevision.slice(0, -1),
    },
    smokeTest: {
      enabled: env.smokeTest.enabled,
      script: SMOKE_TEST_SCRIPT,
      baseUrl: `http://${SERVICES.api}:${API.containerPort}`,
      searchPath: env.smokeTest.searchPath,
      budgetSeconds: SMOKE_TEST_BUDGET_SECONDS,
    },
    backup: {
      enabled: env.datastores.backup.enabled,
      keep: env.datastores.backup.keep,
      user: env.datastores.postgresql.user,
      database: env.datastores.postgresql.database,
    },
  };
}
