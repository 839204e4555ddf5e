import * as fs from 'fs';
import * as path from 'path';
import { acquireLock } from './lock';
import { FolderFiles } from './render';

/*
 * Writing dist/ as one transaction: everything is staged next to its target
 * first, then each folder is swapped in by two renames, the published schema
 * by one, and only then are the old copies deleted. A journal written before
 * the first swap says what to undo, so that:
 *   - a write that fails (an exception) is rolled back before synth reports it:
 *     "Nothing was written" is true;
 *   - a synth killed at any moment leaves each folder complete old or complete
 *     new, except between the two renames of one folder's swap, where that
 *     folder is absent and its old copy is beside it; the next synth (any
 *     --env) finds the journal and rolls back, or finishes a committed run;
 *   - concurrent synths take turns (lib/synth/lock.ts).
 * The names below start with ".synth-": Argo CD, `npm run validate` and git
 * (.gitignore) ignore them.
 */

export const LOCK_FILE = '.synth.lock';
export const JOURNAL_FILE = '.synth-journal.json';
const NEW = '.synth-new-';
const OLD = '.synth-old-';
const TRASH = '.synth-trash-';
/** Names of earlier versions of this writer, removed on sight. */
const LEGACY = /^\.(tmp|old)-/;

/** A file outside dist/ published in the same transaction (config/environment.schema.json). */
export interface PublishedFile {
  readonly file: string;
  readonly content: string;
}

export interface WritePlan {
  readonly outdir: string;
  /** Folders of outdir to replace, by name. */
  readonly folders: ReadonlyMap<string, FolderFiles>;
  /** Remove the other folders of outdir (environments whose file was deleted). */
  readonly prune: boolean;
  readonly published?: PublishedFile;
}

/**
 * Called before each step that changes the disk, with a name such as
 * `swap-in staging`. Tests use it to fail or to stop at every step.
 */
export type StepHook = (step: string) => void;

/** What the journal records: enough to undo every swap, or to finish a committed run. */
interface Journal {
  state: 'swapping' | 'committed';
  /** Folders being replaced or removed, with whether they existed before. */
  folders: { name: string; existed: boolean; removed: boolean }[];
  /** The published file and its content before this run (null: it did not exist). */
  published?: { file: string; before: string | null };
}

export interface WriteResult {
  /** Problems after the commit (leftovers that could not be removed): dist/ is new, the next synth removes them. */
  readonly warnings: string[];
}

/** Writes the plan as one transaction; throws, with everything as it was, if any step fails. */
export function writeOutput(plan: WritePlan, hook: StepHook = () => {}): WriteResult {
  fs.mkdirSync(plan.outdir, { recursive: true });
  const release = acquireLock(path.join(plan.outdir, LOCK_FILE));
  try {
    recover(plan.outdir, hook);
    if (plan.published) fs.rmSync(`${plan.published.file}.synth-new`, { force: true });
    return commit(plan, hook);
  } finally {
    release();
  }
}

function commit(plan: WritePlan, hook: StepHook): WriteResult {
  const { outdir } = plan;
  const at = (prefix: string, folder: string) => path.join(outdir, `${prefix}${folder}`);
  const published = plan.published && readIfExists(plan.published.file) !== plan.published.content ? plan.published : undefined;
  const stagedPublished = published && `${published.file}.synth-new`;
  // A folder that already holds exactly its files is left alone: most synths change one environment or
  // none, and writing was a fifth of a synth's time. Comparing only reads.
  const changed = new Map([...plan.folders].filter(([folder, files]) => !holdsExactly(path.join(outdir, folder), files)));
  const removed = plan.prune ? folderNames(outdir).filter((f) => !plan.folders.has(f)) : [];
  if (changed.size === 0 && removed.length === 0 && !published) return { warnings: [] };

  // 1. Stage: nothing visible changes; a failure here only leaves .synth-new-* (removed below or by the next run).
  try {
    for (const [folder, files] of changed) {
      hook(`stage ${folder}`);
      fs.mkdirSync(at(NEW, folder));
      for (const [file, content] of files) fs.writeFileSync(path.join(at(NEW, folder), file), content, { mode: fileMode(file) });
    }
    if (published && stagedPublished) {
      hook(`stage ${path.basename(published.file)}`);
      fs.writeFileSync(stagedPublished, published.content);
    }
  } catch (e) {
    removeLeftovers(outdir, () => {});
    if (stagedPublished) fs.rmSync(stagedPublished, { force: true });
    throw e;
  }

  // 2. Swap, journaled: any failure is rolled back.
  const journal: Journal = {
    state: 'swapping',
    folders: [
      ...[...changed.keys()].map((name) => ({ name, existed: fs.existsSync(path.join(outdir, name)), removed: false })),
      ...removed.map((name) => ({ name, existed: true, removed: true })),
    ],
    published: published && { file: published.file, before: readIfExists(published.file) },
  };
  try {
    hook('journal');
    writeJournal(outdir, journal);
    for (const { name, existed, removed: gone } of journal.folders) {
      if (existed) {
        hook(`swap-out ${name}`);
        fs.renameSync(path.join(outdir, name), at(OLD, name));
      }
      if (!gone) {
        hook(`swap-in ${name}`);
        fs.renameSync(at(NEW, name), path.join(outdir, name));
      }
    }
    if (published && stagedPublished) {
      hook(`publish ${path.basename(published.file)}`);
      fs.renameSync(stagedPublished, published.file);
    }
    hook('commit');
    writeJournal(outdir, { ...journal, state: 'committed' });
  } catch (e) {
    try {
      recover(outdir, () => {});
    } catch (undo) {
      throw new Error(`${(e as Error).message}; then undoing it failed too (${(undo as Error).message}): the next npm run synth restores ${outdir}`);
    }
    throw e;
  }

  // 3. Committed: old copies go. A failure here leaves leftovers the next run removes; dist/ is already new.
  try {
    finish(outdir, hook);
    return { warnings: [] };
  } catch (e) {
    return { warnings: [`could not remove the old copies in ${outdir} (${(e as Error).message}); the next synth removes them`] };
  }
}

/**
 * Brings outdir back to a consistent state after a killed or failed run:
 * a journal in state "swapping" is undone (every folder back to its old
 * copy, the published file back to its old content), one in state
 * "committed" is finished; stray staging folders are removed.
 */
function recover(outdir: string, hook: StepHook = () => {}): void {
  const journal = readJournal(outdir);
  if (journal?.state === 'swapping') {
    for (const { name, existed } of journal.folders) {
      const target = path.join(outdir, name);
      const old = path.join(outdir, `${OLD}${name}`);
      const hasOld = fs.existsSync(old);
      // Not swapped out yet: the folder is still the old one.
      if (existed && !hasOld) continue;
      if (fs.existsSync(target)) {
        hook(`undo ${name}`);
        fs.renameSync(target, path.join(outdir, `${TRASH}${name}`));
      }
      if (hasOld) {
        hook(`restore ${name}`);
        fs.renameSync(old, target);
      }
    }
    if (journal.published) {
      const { file, before } = journal.published;
      if (readIfExists(file) !== before) {
        hook('restore published');
        if (before === null) fs.rmSync(file, { force: true });
        else {
          fs.writeFileSync(`${file}.synth-new`, before);
          fs.renameSync(`${file}.synth-new`, file);
        }
      }
      fs.rmSync(`${file}.synth-new`, { force: true });
    }
  } else if (journal?.published) {
    fs.rmSync(`${journal.published.file}.synth-new`, { force: true });
  }
  finish(outdir, hook);
}

/** Removes the journal's leftovers and then the journal: the last step of a run. */
function finish(outdir: string, hook: StepHook): void {
  removeLeftovers(outdir, hook);
  if (fs.existsSync(path.join(outdir, JOURNAL_FILE))) {
    hook('remove journal');
    fs.rmSync(path.join(outdir, JOURNAL_FILE), { force: true });
  }
}

function removeLeftovers(outdir: string, hook: StepHook): void {
  for (const entry of fs.readdirSync(outdir).sort()) {
    if (entry === LOCK_FILE || entry === JOURNAL_FILE) continue;
    if (entry.startsWith('.synth-') || LEGACY.test(entry)) {
      hook(`remove ${entry}`);
      fs.rmSync(path.join(outdir, entry), { recursive: true, force: true });
    }
  }
}

/** The folders of outdir that synth owns (not its dot files). */
function folderNames(outdir: string): string[] {
  return fs
    .readdirSync(outdir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

function writeJournal(outdir: string, journal: Journal): void {
  const file = path.join(outdir, JOURNAL_FILE);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(journal));
  fs.renameSync(`${file}.tmp`, file);
}

function readJournal(outdir: string): Journal | undefined {
  const text = readIfExists(path.join(outdir, JOURNAL_FILE));
  if (text === null) return undefined;
  return JSON.parse(text) as Journal;
}

function readIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
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
