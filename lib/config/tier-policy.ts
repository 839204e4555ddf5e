import type { Environment, EnvironmentSettings } from '../../config/schema';
import { LEVEL_NAMES, Level } from '../monitoring/alert-spec';
import type { ReceiverChoice } from '../monitoring/routing-policy';

/*
 * What each tier requires, and what it defaults to, in one place. The config
 * loader refuses a file that breaks its tier's policy (lib/config/constraints.ts)
 * and fills in the tier's defaults of the keys left out (lib/config/load.ts
 * resolveTierDefaults), so synth, validate, the checklist, verify and the e2e
 * all read one resolved value; the checklist (lib/checklist/checks.ts) asks
 * the same policy which items an environment must prove, so that what synth
 * accepts the checklist accepts.
 */

type Tier = EnvironmentSettings['tier'];

/** Values of keys whose default depends on the tier, used when the file leaves the key out. */
export interface TierDefaults {
  /** `argocd.autoSync`: production is synced by a person. */
  readonly autoSync: boolean;
  /** `datastores.mode`: production uses managed PostgreSQL and Redis. */
  readonly datastoreMode: 'in-cluster' | 'external';
  /**
   * `monitoring.alertmanager.levels`, level by level (SPEC-404's playbook): in
   * production P1 pages, P2 notifies the team lead, P3 and P4 make tickets (P4
   * in business hours only). Elsewhere everything makes a ticket, so a broken
   * staging never wakes or pings anyone and needs neither a PagerDuty key nor a
   * team-lead webhook.
   */
  readonly levelReceivers: Readonly<Record<Level, ReceiverChoice>>;
}

export interface TierPolicy {
  /** Fewest API replicas the HPA may keep (a node drain or a crash must not take the API down). */
  readonly minReplicas: number;
  /** LOG_LEVEL values refused (too verbose, may log request data). */
  readonly forbiddenLogLevels: readonly string[];
  /** An image tag (not only a digest) is required: it is the version reviewers and the version label see. */
  readonly requireImageTag: boolean;
  /** The API is reached through the Ingress: TLS, rate limiting and CORS are proved there. */
  readonly requireIngress: boolean;
  /** An in-cluster PostgreSQL must be backed up (datastores.backup.enabled). */
  readonly requireBackups: boolean;
  /** The migration hook runs on every sync, so that migrations.targetRevision can roll the schema back. */
  readonly requireMigrationHook: boolean;
  readonly defaults: TierDefaults;
}

const PRODUCTION_DEFAULTS: TierDefaults = { autoSync: false, datastoreMode: 'external', levelReceivers: { P1: 'paging', P2: 'team-lead', P3: 'ticket', P4: 'ticket' } };
const OTHER_DEFAULTS: TierDefaults = { autoSync: true, datastoreMode: 'in-cluster', levelReceivers: { P1: 'ticket', P2: 'ticket', P3: 'ticket', P4: 'ticket' } };

const POLICIES: Record<Tier, TierPolicy> = {
  production: {
    minReplicas: 2,
    forbiddenLogLevels: ['debug', 'trace'],
    requireImageTag: true,
    requireIngress: true,
    requireBackups: true,
    requireMigrationHook: true,
    defaults: PRODUCTION_DEFAULTS,
  },
  staging: { minReplicas: 1, forbiddenLogLevels: [], requireImageTag: false, requireIngress: false, requireBackups: false, requireMigrationHook: false, defaults: OTHER_DEFAULTS },
  development: { minReplicas: 1, forbiddenLogLevels: [], requireImageTag: false, requireIngress: false, requireBackups: false, requireMigrationHook: false, defaults: OTHER_DEFAULTS },
};

export function tierPolicy(tier: Tier): TierPolicy {
  return POLICIES[tier];
}

/**
 * The environment as every reader sees it: the keys whose default depends on
 * the tier (TierDefaults) set from the tier where the file leaves them out.
 * The config loader calls it once, before the constraints are checked.
 */
export function resolveTierDefaults(settings: EnvironmentSettings & { readonly name: string; readonly file: string }): Environment {
  const d = tierPolicy(settings.tier).defaults;
  const levels = settings.monitoring.alertmanager.levels ?? {};
  return {
    ...settings,
    argocd: { ...settings.argocd, autoSync: settings.argocd.autoSync ?? d.autoSync },
    datastores: { ...settings.datastores, mode: settings.datastores.mode ?? d.datastoreMode },
    monitoring: {
      ...settings.monitoring,
      alertmanager: {
        ...settings.monitoring.alertmanager,
        levels: Object.fromEntries(LEVEL_NAMES.map((level) => [level, levels[level] ?? d.levelReceivers[level]])) as Record<Level, ReceiverChoice>,
      },
    },
  };
}

/** The tiers whose defaults differ, for documentation (docs/runbooks/README.md): production and every other tier. */
export const DEFAULTS_BY_TIER_GROUP = { production: PRODUCTION_DEFAULTS, other: OTHER_DEFAULTS } as const;
