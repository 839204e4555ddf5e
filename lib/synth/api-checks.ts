import { checkApiRules } from '../validate/api-rules';
import { formatFinding } from '../validate/finding';
import { checkObject } from '../validate/practices/objects';
import { Resource } from '../validate/resource';
import { Manifest } from './render';

/**
 * The per-object checks of `npm run validate` that stand for the API server
 * (names, labels and annotations, cron schedules, object size...), run on
 * the rendered objects before anything is written. The config loader should
 * already refuse whatever breaks them; this is the same rule, once, as a last
 * guard, so that what synth writes the validator accepts. Returns the errors,
 * one line each.
 */
export function apiServerErrors(folder: string, manifests: readonly Manifest[]): string[] {
  return manifests.flatMap((m) => {
    const r: Resource = {
      file: `dist/${folder}/${m.kind.toLowerCase()}-${m.metadata.name}.yaml`,
      folder,
      object: m as unknown as Resource['object'],
      apiVersion: m.apiVersion,
      kind: m.kind,
      name: m.metadata.name,
      namespace: m.metadata.namespace,
      lineOf: () => undefined,
    };
    return [...checkApiRules(r), ...checkObject(r, undefined, false)].filter((f) => f.severity === 'error').map(formatFinding);
  });
}
