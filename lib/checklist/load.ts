import * as fs from 'fs';
import * as path from 'path';
import { Manifest } from '../synth/render';
import { Finding, formatFinding } from '../validate/finding';
import { parseResources } from '../validate/resource';

/**
 * The objects of dist/<env>/ as written by synth, read with the validator's
 * reader. Throws when the folder is missing or a file cannot be read as
 * Kubernetes reads it (see unreadable).
 */
export function readDistFolder(folder: string): Manifest[] {
  if (!fs.existsSync(folder)) throw new Error(`${folder} does not exist: run "npm run synth" first`);
  return fs
    .readdirSync(folder)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((file) => {
      const { resources, findings } = parseResources(path.join(folder, file), path.basename(folder), fs.readFileSync(path.join(folder, file), 'utf8'));
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
