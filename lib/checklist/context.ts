import { Environment } from '../../config/schema';
import { Manifest } from '../synth/render';
import { Finding } from '../validate/finding';

/** What every checklist reads: the validator's findings on dist/<env>/ (npm run validate, run once per checklist). */
export interface ValidatedFolder {
  readonly findings: readonly Finding[];
}

/** What the checks look at: the synthesized manifests of one environment, its config, the validator's findings and the repository. */
export interface ChecklistContext extends ValidatedFolder {
  readonly env: Environment;
  /** The objects of dist/<env>/. */
  readonly manifests: readonly Manifest[];
  /** Does this file exist in the repository (path relative to the root)? */
  readonly fileExists: (relativePath: string) => boolean;
}

/** The outcome of one item. `manual` when the manifests cannot prove it (e.g. a managed service). */
export interface CheckResult {
  readonly status: 'pass' | 'fail' | 'manual';
  readonly detail: string;
}

export const pass = (detail: string): CheckResult => ({ status: 'pass', detail });
export const fail = (detail: string): CheckResult => ({ status: 'fail', detail });
export const manual = (detail: string): CheckResult => ({ status: 'manual', detail });

/** `pass` with `ok` when there are no problems, else `fail` listing them. */
export function verdict(problems: string[], ok: string): CheckResult {
  return problems.length === 0 ? pass(ok) : fail(problems.join('; '));
}
