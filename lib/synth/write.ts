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
    for (const [file, content] of files) fs.writeFileSync(path.join(staging, file), content, { mode: fileMode(file) });
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

/** Whether `dir` holds exactly `files`: the same names, bytes and executable bits, nothing else. */
function holdsExactly(dir: string, files: FolderFiles): boolean {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return false;
  }
  if (entries.length !== files.size) return false;
  const executable = (mode: number) => (mode & 0o111) !== 0;
  for (const [file, content] of files) {
    try {
      const target = path.join(dir, file);
      if (executable(fs.statSync(target).mode) !== executable(fileMode(file))) return false;
      if (fs.readFileSync(target, 'utf8') !== content) return false;
    } catch {
      return false; // missing, or a folder of that name
    }
  }
  return true;
}

/** Scripts (deploy.sh, rollback.sh of a Compose environment) are executable; everything else is plain data. */
export function fileMode(file: string): number {
  return file.endsWith('.sh') ? 0o755 : 0o644;
}
