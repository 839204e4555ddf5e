import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { ENVIRONMENTS_DIR } from '../config/load';

/** What a copy of the project needs to synthesize: the code and config, not dist/, tests or docs. */
const SOURCES = ['main.ts', 'charts', 'lib', 'config', 'imports', 'scripts', 'package.json', 'tsconfig.json', 'cdk8s.yaml'];

/**
 * A throw-away copy of the project (node_modules linked, not copied) whose
 * config/environments/ holds `count` environments, made from the committed
 * Kubernetes ones in turn (not the Compose ones, which render far less), each
 * in a namespace of its own.
 */
export function projectWithEnvironments(root: string, count: number): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'odoo-finder-bench-'));
  for (const entry of SOURCES) if (fs.existsSync(path.join(root, entry))) fs.cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));
  const folder = path.join(copy, ENVIRONMENTS_DIR);
  const templates = fs.readdirSync(folder).filter((f) => f.endsWith('.yaml')).sort();
  const texts = templates.map((f) => fs.readFileSync(path.join(folder, f), 'utf8')).filter((text) => parseDocument(text).get('target') !== 'compose');
  for (const f of templates) fs.rmSync(path.join(folder, f));
  for (let i = 1; i <= count; i++) {
    const name = `bench-${String(i).padStart(2, '0')}`;
    const doc = parseDocument(texts[(i - 1) % texts.length]);
    doc.set('namespace', `odoo-finder-${name}`);
    fs.writeFileSync(path.join(folder, `${name}.yaml`), doc.toString());
  }
  return copy;
}
