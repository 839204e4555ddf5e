/*
 * Environment names. The file name `config/environments/<env>.yaml` becomes
 * the dist/<env>/ folder, the Argo CD Application "ai-odoo-finder-<env>" (a
 * DNS subdomain) and the label value "ai-odoo-finder-<env>"
 * (app.kubernetes.io/instance; at most 63 characters,
 * k8s.io/apimachinery pkg/util/validation/validation.go IsValidLabelValue).
 * So a name is a DNS-1123 label short enough for that prefix, whatever the
 * namespace.
 */

/** The one extension of environment files. */
export const ENVIRONMENT_FILE_EXTENSION = '.yaml';
/** What every object name and label value made from an environment name starts with (lib/labels.ts PART_OF). */
const LONGEST_PREFIX = 'ai-odoo-finder-';
const ENVIRONMENT_NAME_MAX = 63 - LONGEST_PREFIX.length;
const ENVIRONMENT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Folders of dist/ that are not environments (charts/index.ts SHARED_FOLDERS), and names of Argo CD's own. */
const RESERVED_ENVIRONMENT_NAMES: readonly string[] = ['argocd'];

/** Why a directory entry of config/environments/ is not an environment file, or undefined. */
export function fileNameProblem(entry: string): string | undefined {
  if (!entry.endsWith(ENVIRONMENT_FILE_EXTENSION)) {
    const stem = entry.replace(/\.[^.]*$/, '');
    return /\.(ya?ml|json)$/i.test(entry) && stem
      ? `only "${ENVIRONMENT_FILE_EXTENSION}" files are read here: rename it to ${stem.toLowerCase()}${ENVIRONMENT_FILE_EXTENSION}`
      : `is not an environment file: config/environments/ holds only <environment>${ENVIRONMENT_FILE_EXTENSION} files`;
  }
  return environmentNameProblem(entry.slice(0, -ENVIRONMENT_FILE_EXTENSION.length));
}

/** Why this cannot be an environment name, or undefined. */
function environmentNameProblem(name: string): string | undefined {
  const shown = JSON.stringify(name);
  if (!ENVIRONMENT_NAME.test(name) || name.length > ENVIRONMENT_NAME_MAX) {
    return `${shown} is not a valid environment name: at most ${ENVIRONMENT_NAME_MAX} lower-case letters, digits and "-", starting and ending with a letter or digit (it names dist/<name>/, the Argo CD Application "${LONGEST_PREFIX}<name>" and label values)`;
  }
  if (RESERVED_ENVIRONMENT_NAMES.includes(name)) return `the name ${shown} is reserved (dist/${name}/ holds the Argo CD objects of every environment)`;
  return undefined;
}
