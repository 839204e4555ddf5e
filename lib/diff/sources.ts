import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { render } from '../synth/synthesize';
import type { SourceFile } from '../validate/validate';

/** The YAML files of dist/, by folder (`production`, `argocd`, ...). */
export type DistFiles = Map<string, SourceFile[]>;

/** The branch whose merge base is the default base. */
export const DEFAULT_UPSTREAM = 'origin/main';

/** A revision to compare with: what the user asked for, and the commit it names. */
export interface BaseRevision {
  readonly description: string;
  readonly commit: string;
}

/** A failure the user can act on (bad ref, not a git repository, a config that does not render). */
export class DiffSourceError extends Error {}

function git(root: string, args: string[], input?: string): string {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', input, maxBuffer: 256 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr?.trim();
    throw new DiffSourceError(`git ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`);
  }
}

function commitOf(root: string, ref: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The revision to compare with: `ref` when given; else the merge base of HEAD
 * and origin/main (what a pull request changes); else HEAD (a clone without
 * origin/main, e.g. CI on a plain clone of main: then nothing is reported).
 */
export function resolveBase(root: string, ref?: string): BaseRevision {
  const short = (commit: string) => commit.slice(0, 7);
  if (ref !== undefined) {
    const commit = commitOf(root, ref);
    if (!commit) throw new DiffSourceError(`--base ${ref}: no such commit in ${root}`);
    return { description: `${ref} (${short(commit)})`, commit };
  }
  const head = commitOf(root, 'HEAD');
  if (!head) throw new DiffSourceError(`${root} has no commit to compare with (not a git repository, or no commit yet): give --base REF`);
  if (commitOf(root, DEFAULT_UPSTREAM)) {
    let mergeBase: string;
    try {
      mergeBase = git(root, ['merge-base', 'HEAD', DEFAULT_UPSTREAM]).trim();
    } catch {
      throw new DiffSourceError(`HEAD and ${DEFAULT_UPSTREAM} have no merge base here (a shallow clone? fetch more history), or give --base REF`);
    }
    return { description: `the merge base of HEAD and ${DEFAULT_UPSTREAM} (${short(mergeBase)})`, commit: mergeBase };
  }
  return { description: `HEAD (${short(head)}; there is no ${DEFAULT_UPSTREAM})`, commit: head };
}

/**
 * dist/ as committed at `commit`. CI checks that the committed dist/ is exactly
 * what the code of that commit synthesizes, so reading it is the same as
 * rendering that commit, and much faster (one `git cat-file --batch`).
 */
export function distAtCommit(root: string, commit: string): DistFiles {
  const listing = git(root, ['ls-tree', '-r', '-z', commit, '--', 'dist']);
  const blobs: { sha: string; file: string }[] = [];
  for (const entry of listing.split('\0').filter(Boolean)) {
    const match = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (match && isDistFile(match[2])) blobs.push({ sha: match[1], file: match[2] });
  }
  const files: DistFiles = new Map();
  if (blobs.length === 0) return files;
  const texts = catBlobs(root, blobs.map((b) => b.sha));
  blobs.forEach((b, i) => addFile(files, b.file, texts[i]));
  return files;
}

function catBlobs(root: string, shas: string[]): string[] {
  const output = execFileSync('git', ['cat-file', '--batch'], { cwd: root, input: `${shas.join('\n')}\n`, maxBuffer: 256 * 1024 * 1024 });
  const texts: string[] = [];
  let offset = 0;
  for (const sha of shas) {
    const headerEnd = output.indexOf(0x0a, offset);
    const [objectSha, type, size] = output.subarray(offset, headerEnd).toString('utf8').split(' ');
    if (objectSha !== sha || type !== 'blob') throw new DiffSourceError(`git cat-file: unexpected answer for ${sha}`);
    const start = headerEnd + 1;
    texts.push(output.subarray(start, start + Number(size)).toString('utf8'));
    offset = start + Number(size) + 1;
  }
  return texts;
}

/** dist/ as the working tree's code renders it, in memory: a change not yet synthesized is compared too. */
export function renderedDist(root: string): DistFiles {
  let folders;
  try {
    folders = render({ root });
  } catch (e) {
    throw new DiffSourceError(`the working tree does not synthesize: ${(e as Error).message}`);
  }
  const files: DistFiles = new Map();
  for (const [folder, contents] of folders) {
    for (const [name, text] of contents) addFile(files, `dist/${folder}/${name}`, text);
  }
  return files;
}

/** dist/ as it is on disk in the working tree (for a dist/ edited or synthesized by other means). */
export function distOnDisk(root: string): DistFiles {
  const files: DistFiles = new Map();
  const dist = path.join(root, 'dist');
  if (!fs.existsSync(dist)) return files;
  for (const folder of fs.readdirSync(dist, { withFileTypes: true })) {
    if (!folder.isDirectory() || folder.name.startsWith('.')) continue;
    for (const name of fs.readdirSync(path.join(dist, folder.name)).sort()) {
      const file = `dist/${folder.name}/${name}`;
      if (isDistFile(file) && fs.statSync(path.join(root, file)).isFile()) addFile(files, file, fs.readFileSync(path.join(root, file), 'utf8'));
    }
  }
  return files;
}

/** A file directly in a folder of dist/ (Argo CD reads no deeper: `directory.recurse: false`; a Compose folder is flat). */
function isDistFile(file: string): boolean {
  return /^dist\/[^/.][^/]*\/[^/]+$/.test(file);
}

function addFile(files: DistFiles, file: string, text: string): void {
  const folder = file.split('/')[1];
  if (!files.has(folder)) files.set(folder, []);
  files.get(folder)!.push({ file, text });
}
