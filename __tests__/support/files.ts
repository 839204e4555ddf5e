import * as fs from 'fs';
import * as path from 'path';

/** Files by path relative to a folder, with their text. */
export type Tree = Record<string, string>;

/** Every file under `dir` (recursively), by relative path, with its text; `{}` when `dir` does not exist. */
export function readTree(dir: string): Tree {
  const out: Tree = {};
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const parent = entry.parentPath ?? entry.path;
    if (entry.isFile()) out[path.relative(dir, path.join(parent, entry.name))] = fs.readFileSync(path.join(parent, entry.name), 'utf8');
  }
  return out;
}
