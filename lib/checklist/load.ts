import * as fs from 'fs';
import * as path from 'path';
import { Environment } from '../../config/schema';
import { Manifest } from '../synth/render';
import { Finding, formatFinding } from '../validate/finding';
import { parseResources } from '../validate/resource';
import { SchemaStore } from '../validate/schema/store';
import { checkFolder, SourceFile } from '../validate/validate';
import { ChecklistContext } from './context';

/** The YAML files of a folder of dist/, as text, named relative to `root`; throws when the folder is missing. */
function readYamlFiles(root: string, folder: string): SourceFile[] {
  if (!fs.existsSync(folder)) throw new Error(`${folder} does not exist: run "npm run synth" first`);
  return fs
    .readdirSync(folder)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ file: path.relative(root, path.join(folder, f)), text: fs.readFileSync(path.join(folder, f), 'utf8') }));
}

/** A file the YAML reader cannot read is an input error of the command, not a checklist item. */
function unreadable(findings: readonly Finding[]): void {
  const broken = findings.find((f) => f.rule === 'yaml' && f.severity === 'error');
  if (broken) throw new Error(`not valid YAML: ${formatFinding(broken)}`);
}

/**
 * The checklist's view of dist/<env>/ of a Kubernetes environment: its
 * objects and the validator's findings on it (run once, as `npm run validate`
 * would on this folder). Throws when the folder is missing or a file is not YAML.
 */
export function kubernetesChecklistContext(env: Environment, root: string, folder: string, fileExists: (p: string) => boolean, store: SchemaStore): ChecklistContext {
  return checklistContextOf(env, readYamlFiles(root, folder), fileExists, store);
}

/** The same, for files given as text (`dist/<env>/<file>` and its YAML). */
export function checklistContextOf(env: Environment, files: readonly SourceFile[], fileExists: (p: string) => boolean, store: SchemaStore): ChecklistContext {
  const { findings, folder } = checkFolder(store, env.name, files, false);
  unreadable(findings);
  return { env, manifests: folder.resources.map((r) => r.object as unknown as Manifest), findings, fileExists };
}

/**
 * The objects of dist/<env>/ as written by synth, read with the validator's
 * reader (no checks). Throws when the folder is missing or a file is not valid YAML.
 */
export function readDistFolder(folder: string): Manifest[] {
  return readYamlFiles(path.dirname(folder), folder).flatMap((f) => {
    const { resources, findings } = parseResources(path.join(folder, path.basename(f.file)), path.basename(folder), f.text);
    unreadable(findings);
    return resources.map((r) => r.object as unknown as Manifest);
  });
}
