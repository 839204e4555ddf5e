import { EnvironmentSettings } from '../../config/schema';

/*
 * What each tier requires, in one place. The config loader refuses a file
 * that breaks its tier's policy (lib/config/rules.ts), and the checklist
 * (lib/checklist/checks.ts) asks the same policy which items an environment
 * must prove, so that what synth accepts the checklist accepts.
 */

type Tier = EnvironmentSettings['tier'];

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
}

const POLICIES: Record<Tier, TierPolicy> = {
  production: { minReplicas: 2, forbiddenLogLevels: ['debug', 'trace'], requireImageTag: true, requireIngress: true, requireBackups: true, requireMigrationHook: true },
  staging: { minReplicas: 1, forbiddenLogLevels: [], requireImageTag: false, requireIngress: false, requireBackups: false, requireMigrationHook: false },
  development: { minReplicas: 1, forbiddenLogLevels: [], requireImageTag: false, requireIngress: false, requireBackups: false, requireMigrationHook: false },
};

export function tierPolicy(tier: Tier): TierPolicy {
  return POLICIES[tier];
}
