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

/** Rules of the validator's reader: a file they fail is an input error of the command, not a checklist item. */
const READER_RULES = ['yaml', 'yaml-typing', 'yaml-characters'];

/**
 * The checklist's view of dist/<env>/ of a Kubernetes environment: its
 * objects and the validator's findings on it (run once, as `npm run validate`
 * would on this folder). Throws when the folder is missing or a file cannot be
 * read as Kubernetes reads it (see unreadable).
 */
export function kubernetesChecklistContext(env: Environment, root: string, folder: string, fileExists: (p: string) => boolean, store: SchemaStore): ChecklistContext {
  return checklistContextOf(env, readYamlFiles(root, folder), fileExists, store);
}

/** The same, for files given as text (`dist/<env>/<file>` and its YAML). */
export function checklistContextOf(env: Environment, files: readonly SourceFile[], fileExists: (p: string) => boolean, store: SchemaStore): ChecklistContext {
  const { findings, folder } = checkFolder(store, env.name, files, false);
  const broken = findings.find((f) => READER_RULES.includes(f.rule) && f.severity === 'error');
  if (broken) throw unreadable(broken);
  return { env, manifests: folder.resources.map((r) => r.object as unknown as Manifest), findings, fileExists };
}

/**
 * The objects of dist/<env>/ as written by synth, read with the validator's
 * reader (no checks). Throws when the folder is missing or a file cannot be
 * read as Kubernetes reads it (see unreadable).
 */
export function readDistFolder(folder: string): Manifest[] {
  return readYamlFiles(path.dirname(folder), folder).flatMap((f) => {
    const { resources, findings } = parseResources(path.join(folder, path.basename(f.file)), path.basename(folder), f.text);
    if (findings.length > 0) throw unreadable(findings[0]);
    return resources.map((r) => r.object as unknown as Manifest);
  });
}

/**
 * The error of a file the validator's reader reports on: "not valid YAML" only
 * for a YAML error (rule `yaml`); any other finding (such as `yaml-typing`, a
 * scalar Kubernetes' YAML 1.1 reader types differently) in the validator's own words.
 */
export function unreadable(f: Finding): Error {
  return new Error(f.rule === 'yaml' ? `not valid YAML: ${formatFinding(f)}` : formatFinding(f));
}
