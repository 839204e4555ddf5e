import * as fs from 'fs';
import * as path from 'path';
import { parse, stringify } from 'yaml';

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

/** The committed dist/<folder>/ of `root`, file by file (sorted) with its object, parsed once per test file. */
const committedFolders = new Map<string, ReadonlyMap<string, string>>();

/**
 * The objects of a committed folder of dist/ (`dist/<folder>/<file>` → object),
 * as `parse` reads them: the folder is read and parsed once per test file and
 * each call gets its own copies, to change as the case needs.
 */
export function committedObjects(root: string, folder: string): Map<string, Record<string, any>> {
  let texts = committedFolders.get(`${root}\0${folder}`);
  if (!texts) {
    const dir = path.join(root, 'dist', folder);
    texts = new Map(fs.readdirSync(dir).sort().map((f) => [f, JSON.stringify(parse(fs.readFileSync(path.join(dir, f), 'utf8')))]));
    committedFolders.set(`${root}\0${folder}`, texts);
  }
  return new Map([...texts].map(([f, json]) => [f, JSON.parse(json) as Record<string, any>]));
}

const written = new Map<string, string>();

/**
 * `stringify(object)` of the yaml package, written once per distinct object
 * per test file: tests that change one object of a committed folder write the
 * others unchanged, case after case. Objects are told apart by their JSON,
 * with the numbers JSON cannot tell apart (-0, NaN, Infinity) marked.
 */
export function stringifyOnce(object: unknown): string {
  const key = JSON.stringify(object, (_k, v: unknown) => (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)) ? `\0number ${Object.is(v, -0) ? '-0' : String(v)}` : v));
  let text = written.get(key);
  if (text === undefined) {
    text = stringify(object);
    if (written.size >= 2000) written.clear();
    written.set(key, text);
  }
  return text;
}
