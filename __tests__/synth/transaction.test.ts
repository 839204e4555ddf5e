import { ChildProcess, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { acquireLock, LockBusyError } from '../../lib/synth/lock';
import { FolderFiles } from '../../lib/synth/render';
import { render, schemaDocument, SCHEMA_FILE } from '../../lib/synth/synthesize';
import { JOURNAL_FILE, LOCK_FILE, writeOutput, WritePlan } from '../../lib/synth/write';
import { formatFinding } from '../../lib/validate/finding';
import { SchemaStore } from '../../lib/validate/schema/store';
import { validateDist } from '../../lib/validate/validate';
import { ROOT } from '../support/env';
import { readTree, Tree } from '../support/files';
import { runSynth, startSynth } from '../support/synth-process';

/*
 * dist/ as one transaction (lib/synth/write.ts): a write that fails at any
 * step changes nothing; a synth killed at any step leaves each folder
 * complete old or complete new (or, between the two renames of one swap,
 * absent with its old copy beside it) and the next run, whatever it renders,
 * restores a consistent dist/; two synths at once take turns.
 */

function writeTree(dir: string, tree: Tree): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(tree)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
}

/** The files of one folder of a tree, by file name. */
function folderOf(tree: Tree, folder: string): Tree | undefined {
  const files = Object.entries(tree).filter(([f]) => f.startsWith(`${folder}/`));
  return files.length === 0 ? undefined : Object.fromEntries(files.map(([f, c]) => [f.slice(folder.length + 1), c]));
}

const same = (a: Tree | undefined, b: Tree | undefined) => JSON.stringify(a) === JSON.stringify(b);

const asTree = (files: FolderFiles): Tree => Object.fromEntries(files);

/** The PID of a process that has exited (and been reaped): what the lock of a killed synth names. */
function exitedPid(): number {
  const { pid, status } = spawnSync('true');
  if (status !== 0 || !pid) throw new Error('could not run true');
  return pid;
}

function tempProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'odoo-finder-txn-'));
  fs.cpSync(path.join(ROOT, 'config', 'environments'), path.join(dir, 'config', 'environments'), { recursive: true });
  return dir;
}

/**
 * Old state: dist/ of a config with staging at another tag, an extra
 * environment "qa" (removed by the new run) and a stale published schema.
 * New plan: today's config, pruning.
 */
let rendered: { old: Map<string, FolderFiles>; new: Map<string, FolderFiles> } | undefined;

function scenario() {
  const root = tempProject();
  const envs = path.join(root, 'config', 'environments');
  const staging = fs.readFileSync(path.join(envs, 'staging.yaml'), 'utf8');
  fs.writeFileSync(path.join(envs, 'staging.yaml'), staging.replace('tag: "1.4.2"', 'tag: "1.4.1"'));
  fs.writeFileSync(path.join(envs, 'qa.yaml'), staging.replace('odoo-finder-staging', 'odoo-finder-qa').replace(/host: .*/, 'host: qa.api.ai-odoofinder.dev'));
  // Rendering does not depend on the root: render once for every test.
  rendered ??= { old: render({ root }), new: new Map() };
  const oldFolders = rendered.old;
  const outdir = path.join(root, 'dist');
  const schemaFile = path.join(root, SCHEMA_FILE);
  writeOutput({ outdir, folders: oldFolders, prune: true, published: { file: schemaFile, content: '{"old": true}\n' } });
  fs.writeFileSync(path.join(envs, 'staging.yaml'), staging);
  fs.rmSync(path.join(envs, 'qa.yaml'));
  if (rendered.new.size === 0) rendered.new = render({ root });
  const newFolders = rendered.new;
  const plan: WritePlan = { outdir, folders: newFolders, prune: true, published: { file: schemaFile, content: schemaDocument() } };
  const state = () => ({ dist: readTree(outdir), schema: fs.readFileSync(schemaFile, 'utf8') });
  return { root, outdir, schemaFile, oldFolders, newFolders, plan, state, before: state() };
}

/** The names of the steps of a write of the scenario's plan (recorded on a copy of its dist/). */
function stepsOf(s: ReturnType<typeof scenario>): string[] {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'odoo-finder-steps-'));
  fs.cpSync(s.outdir, path.join(copy, 'dist'), { recursive: true });
  fs.mkdirSync(path.join(copy, 'config'));
  fs.writeFileSync(path.join(copy, SCHEMA_FILE), s.before.schema);
  const steps: string[] = [];
  writeOutput({ ...s.plan, outdir: path.join(copy, 'dist'), published: { file: path.join(copy, SCHEMA_FILE), content: schemaDocument() } }, (step) => steps.push(step));
  fs.rmSync(copy, { recursive: true, force: true });
  return steps;
}

describe('a write that fails at any step', () => {
  test('is rolled back: dist/ and the published schema as they were, no leftovers', () => {
    const s = scenario();
    const steps = stepsOf(s);
    let failures = 0;
    for (let n = 0; ; n++) {
      let step = 0;
      let failedAt: string | undefined;
      const hook = (name: string) => {
        if (step++ === n) {
          failedAt = name;
          throw new Error(`EACCES at ${name}`);
        }
      };
      let result;
      try {
        result = writeOutput(s.plan, hook);
      } catch (e) {
        expect((e as Error).message).toBe(`EACCES at ${failedAt}`);
      }
      if (result) {
        // Past the commit, a failure to clean up is a warning: dist/ is new and the next run removes the leftovers.
        if (failedAt) expect(result.warnings[0]).toContain(`EACCES at ${failedAt}`);
        break;
      }
      failures++;
      expect([n, s.state()]).toEqual([n, s.before]);
    }
    // Every step up to the commit failed once: staging (each folder, the schema), journal, swaps, publish, commit.
    console.log(`failure test: ${failures} failing steps rolled back, every one leaving dist/ and the schema as they were`);
    expect(failures).toBe(steps.indexOf('commit') + 1);
  });
});

describe('a synth killed at any step', () => {
  test('leaves every folder complete old or complete new, and the next run (any --env) restores a consistent dist/', () => {
    const s = scenario();
    const steps = stepsOf(s);
    const snapshots: { step: string; dist: Tree; schema: string }[] = [];
    writeOutput(s.plan, (step) => snapshots.push({ step, ...s.state() }));
    // What a kill just after the last step leaves: the finished run.
    snapshots.push({ step: 'end', ...s.state() });
    const oldTree = (f: string) => (s.oldFolders.has(f) ? asTree(s.oldFolders.get(f)!) : undefined);
    const newTree = (f: string) => (s.newFolders.has(f) ? asTree(s.newFolders.get(f)!) : undefined);

    let midSwap = 0;
    let rolledBack = 0;
    let finished = 0;
    const next = fs.mkdtempSync(path.join(os.tmpdir(), 'odoo-finder-next-'));
    // The killed process is gone: its lock names a dead PID.
    const dead = exitedPid();
    const folders = [...new Set([...s.oldFolders.keys(), ...s.newFolders.keys()])];
    for (const snap of snapshots) {
      for (const f of folders) {
        const now = folderOf(snap.dist, f);
        if (now === undefined && oldTree(f) !== undefined && newTree(f) !== undefined) {
          // Between the two renames of one swap: the old copy is complete beside it.
          expect([snap.step, folderOf(snap.dist, `.synth-old-${f}`)]).toEqual([snap.step, oldTree(f)]);
          midSwap++;
        } else {
          const which = same(now, oldTree(f)) ? 'old' : same(now, newTree(f)) ? 'new' : 'neither';
          expect([snap.step, f, which]).not.toEqual([snap.step, f, 'neither']);
        }
      }
      expect([snap.step, [s.before.schema, schemaDocument()].includes(snap.schema)]).toEqual([snap.step, true]);

      // The next run renders staging only (prune off), from the killed run's leftovers.
      const outdir = path.join(next, 'dist');
      const schemaFile = path.join(next, SCHEMA_FILE);
      writeTree(outdir, snap.dist);
      expect([snap.step, fs.existsSync(path.join(outdir, LOCK_FILE))]).toEqual([snap.step, snap.step !== 'end']);
      if (snap.step !== 'end') fs.writeFileSync(path.join(outdir, LOCK_FILE), JSON.stringify({ pid: dead, host: os.hostname() }));
      fs.mkdirSync(path.dirname(schemaFile), { recursive: true });
      fs.writeFileSync(schemaFile, snap.schema);
      writeOutput({ outdir, folders: new Map([['staging', s.newFolders.get('staging')!]]), prune: false, published: { file: schemaFile, content: schemaDocument() } });
      const after = readTree(outdir);
      expect(Object.keys(after).filter((f) => f.startsWith('.'))).toEqual([]);
      expect(folderOf(after, 'staging')).toEqual(newTree('staging'));
      const others = folders.filter((f) => f !== 'staging');
      const allOld = others.every((f) => same(folderOf(after, f), oldTree(f)));
      const allNew = others.every((f) => same(folderOf(after, f), newTree(f)));
      expect([snap.step, allOld || allNew]).toEqual([snap.step, true]);
      if (allNew) finished++;
      else rolledBack++;
    }
    console.log(`interruption test: ${snapshots.length} kill points, ${midSwap} between the two renames of a swap; the next --env run rolled back ${rolledBack} and finished ${finished}`);
    expect(snapshots.length).toBe(steps.length + 1);
    // Every folder both runs have with other contents: argocd and staging (qa is only in the old one; a folder
    // that already holds exactly its new files is not written at all).
    const swapped = folders.filter((f) => s.oldFolders.has(f) && s.newFolders.has(f) && !same(oldTree(f), newTree(f)));
    expect(swapped).toEqual(expect.arrayContaining(['argocd', 'staging']));
    expect(midSwap).toBe(swapped.length);
    expect(rolledBack + finished).toBe(snapshots.length);
    expect(rolledBack).toBeGreaterThan(0);
    expect(finished).toBeGreaterThan(0);
  });
});

describe('the real process', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
  });

  test('killed (SIGKILL) between the renames of a swap: the next --env run restores dist/', () => {
    const s = scenario();
    // Every step is covered in-process above; this is the real process at the worst one.
    // Killed just before "swap-in argocd": argocd renamed away, the new one not yet in.
    const steps = stepsOf(s);
    expect(steps).toContain('swap-in argocd');
    const kill = steps.indexOf('swap-in argocd') + 1;
    const killed = runSynth(s.root, [], `kill@${kill}`);
    expect(killed.signal).toBe('SIGKILL');
    const left = readTree(s.outdir);
    expect(folderOf(left, 'argocd')).toBeUndefined();
    expect(folderOf(left, '.synth-old-argocd')).toEqual(asTree(s.oldFolders.get('argocd')!));
    // Until the next synth, npm run validate says so, whichever environments it checks (here the one the next run renders:
    // all of them would add docker-compose and shellcheck on the Compose folder, which this test is not about).
    expect(validateDist(s.root, ['staging'], new SchemaStore(ROOT)).findings.map(formatFinding)).toContain(
      'dist/.synth-journal.json: -: error: a synth is writing dist/ or was interrupted: run npm run synth, which restores dist/ first (dist)',
    );
    const next = runSynth(s.root, ['--env', 'staging']);
    expect(next.stderr).toBe('');
    expect(next.status).toBe(0);
    const after = readTree(s.outdir);
    expect(Object.keys(after).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(folderOf(after, 'argocd')).toEqual(asTree(s.oldFolders.get('argocd')!));
    expect(folderOf(after, 'production')).toEqual(asTree(s.oldFolders.get('production')!));
    expect(folderOf(after, 'qa')).toEqual(asTree(s.oldFolders.get('qa')!));
    expect(folderOf(after, 'staging')).toEqual(asTree(s.newFolders.get('staging')!));
  }, 60_000);

  test('two synths at once take turns: both succeed, dist/ is complete, nothing is left over', async () => {
    const s = scenario();
    // The first pauses 1 s inside its transaction (after its journal), holding the lock.
    const pause = stepsOf(s).indexOf('journal') + 2;
    const first = startSynth(s.root, `pause@${pause}:1000`);
    children.push(first);
    const exited = new Promise<number | null>((resolve) => first.on('exit', (code) => resolve(code)));
    const journal = path.join(s.outdir, JOURNAL_FILE);
    const deadline = Date.now() + 20_000;
    while (!fs.existsSync(journal) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(fs.existsSync(journal)).toBe(true);
    const second = runSynth(s.root);
    expect(second.stderr).toBe('');
    expect(second.status).toBe(0);
    expect(await exited).toBe(0);
    const after = readTree(s.outdir);
    expect(Object.keys(after).filter((f) => f.startsWith('.'))).toEqual([]);
    for (const f of new Set([...s.oldFolders.keys(), ...s.newFolders.keys()])) expect([f, folderOf(after, f)]).toEqual([f, s.newFolders.has(f) ? asTree(s.newFolders.get(f)!) : undefined]);
    expect(fs.readFileSync(s.schemaFile, 'utf8')).toBe(schemaDocument());
  }, 60_000);
});

describe('the lock', () => {
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'odoo-finder-lock-'));

  test('a live holder makes the next synth wait, then fail with a clear message', () => {
    const file = path.join(dir(), LOCK_FILE);
    fs.writeFileSync(file, JSON.stringify({ pid: process.pid, host: os.hostname(), started: fs.readFileSync(`/proc/${process.pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[19] }));
    expect(() => acquireLock(file, 200)).toThrow(LockBusyError);
    expect(() => acquireLock(file, 200)).toThrow(new RegExp(`another synth \\(pid ${process.pid}\\) has been writing .* for more than 0.2 s; .*if no synth is running, delete .*\\.synth\\.lock`));
  });

  test('a dead holder (killed synth) does not keep it: the lock is taken over', () => {
    const file = path.join(dir(), LOCK_FILE);
    fs.writeFileSync(file, JSON.stringify({ pid: exitedPid(), host: os.hostname() }));
    const release = acquireLock(file, 200);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).pid).toBe(process.pid);
    release();
    expect(fs.existsSync(file)).toBe(false);
  });

  test('a PID reused by another process is not the holder (start times differ)', () => {
    const file = path.join(dir(), LOCK_FILE);
    fs.writeFileSync(file, JSON.stringify({ pid: process.pid, host: os.hostname(), started: '1' }));
    acquireLock(file, 200)();
  });
});
