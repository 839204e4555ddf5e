import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { Manifest } from '../synth/render';

/** The objects of dist/<env>/ as written by synth. Throws when the folder is missing or a file is not YAML. */
export function readDistFolder(folder: string): Manifest[] {
  if (!fs.existsSync(folder)) throw new Error(`${folder} does not exist: run "npm run synth" first`);
  return fs
    .readdirSync(folder)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((file) => {
      const docs = parseAllDocuments(fs.readFileSync(path.join(folder, file), 'utf8'));
      return docs.map((d) => {
        if (d.errors.length > 0) throw new Error(`${path.join(folder, file)}: not valid YAML: ${d.errors[0].message}`);
        return d.toJS() as Manifest;
      });
    });
}
