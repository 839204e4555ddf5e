import * as fs from 'fs';
import * as path from 'path';
import { Manifest } from '../synth/render';
import { formatFinding } from '../validate/finding';
import { parseResources } from '../validate/resource';

/**
 * The objects of dist/<env>/ as written by synth, read with the validator's
 * reader. Throws when the folder is missing or a file is not valid YAML.
 */
export function readDistFolder(folder: string): Manifest[] {
  if (!fs.existsSync(folder)) throw new Error(`${folder} does not exist: run "npm run synth" first`);
  return fs
    .readdirSync(folder)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((file) => {
      const { resources, findings } = parseResources(path.join(folder, file), path.basename(folder), fs.readFileSync(path.join(folder, file), 'utf8'));
      if (findings.length > 0) throw new Error(`not valid YAML: ${formatFinding(findings[0])}`);
      return resources.map((r) => r.object as unknown as Manifest);
    });
}
