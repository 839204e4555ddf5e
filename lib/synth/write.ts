import * as fs from 'fs';
import * as path from 'path';
import { FolderFiles } from './render';

/**
 * Replaces folders of `outdir` with new contents, one folder at a time by
 * rename, so that each folder is either all old or all new. Call it only once
 * everything has rendered: nothing is written before then.
 *
 * A folder that already holds exactly these files is left alone: most
 * synths change one environment or none, and writing is a fifth of the time.
 *
 * With `prune`, folders of `outdir` that are not in `folders` are removed
 * (an environment whose file was deleted).
 */
export function writeFolders(outdir: string, folders: Map<string, FolderFiles>, options: { prune: boolean }): void {
  fs.mkdirSync(outdir, { recursive: true });
  const suffix = `${process.pid}-${Date.now()}`;
  for (const [folder, files] of folders) {
    const target = path.join(outdir, folder);
    if (holdsExactly(target, files)) continue;
    const staging = path.join(outdir, `.tmp-${folder}-${suffix}`);
    const old = path.join(outdir, `.old-${folder}-${suffix}`);
    fs.mkdirSync(staging);
    for (const [file, content] of files) fs.writeFileSync(path.join(staging, file), content);
    if (fs.existsSync(target)) fs.renameSync(target, old);
    fs.renameSync(staging, target);
    fs.rmSync(old, { recursive: true, force: true });
  }
  if (options.prune) {
    for (const entry of fs.readdirSync(outdir, { withFileTypes: true })) {
      if (!folders.has(entry.name)) fs.rmSync(path.join(outdir, entry.name), { recursive: true, force: true });
    }
  }
}

/** Whether `dir` holds exactly `files`: the same names, the same bytes, nothing else. */
function holdsExactly(dir: string, files: FolderFiles): boolean {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return false;
  }
  if (entries.length !== files.size) return false;
  for (const [file, content] of files) {
    try {
      if (fs.readFileSync(path.join(dir, file), 'utf8') !== content) return false;
    } catch {
      return false; // missing, or a folder of that name
    }
  }
  return true;
}
