import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { main } from '../../lib/diff/cli';
import { toYaml } from '../../lib/yaml/writer';
import { ROOT } from '../support/env';

export type Obj = Record<string, any>;

/** The JSON report of `npm run diff -- --format json`, as the tests read it. */
export interface JsonReport {
  base: string;
  head: string;
  folders: {
    folder: string;
    status: string;
    summary: string;
    notes: string[];
    objects: { change: string; kind: string; namespace?: string; name: string; risks: { kind: string; message: string }[]; notes: string[]; prune?: string; fields: { path: string; before?: unknown; after?: unknown }[] }[];
  }[];
  unchanged: string[];
}

/**
 * A throw-away git repository holding a copy of the committed dist/ (and
 * config/environments/, so the default head, rendered from config, works):
 * commit it, change it, and run `npm run diff` on it.
 */
export class DistRepo {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'odoo-finder-diff-'));
  /** The commit of the copied dist/ made by `forFile` (before the file's first test). */
  base = '';

  /**
   * One repository for a test file (copying dist/ and committing it is the slow part): committed once
   * before the first test, back at that base commit before each test, removed after the last.
   */
  static forFile(): DistRepo {
    const repo = new DistRepo();
    beforeAll(() => void (repo.base = repo.commit('base')));
    beforeEach(() => repo.reset(repo.base));
    afterAll(() => repo.dispose());
    return repo;
  }

  constructor() {
    fs.cpSync(path.join(ROOT, 'dist'), path.join(this.root, 'dist'), { recursive: true });
    fs.cpSync(path.join(ROOT, 'config', 'environments'), path.join(this.root, 'config', 'environments'), { recursive: true });
    this.git('init', '-q', '-b', 'main');
  }

  git(...args: string[]): string {
    return this.shell('git "$@"', ...args);
  }

  /**
   * Runs a shell script in the repository, with the committer set: several git commands in one process started
   * from jest's worker, whose size makes each start cost about as much as the git command itself.
   */
  private shell(script: string, ...args: string[]): string {
    const identity = { 'user.name': 'diff test', 'user.email': 'diff-test@example.invalid', 'commit.gpgsign': 'false' };
    const env: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_COUNT: String(Object.keys(identity).length) };
    Object.entries(identity).forEach(([key, value], i) => Object.assign(env, { [`GIT_CONFIG_KEY_${i}`]: key, [`GIT_CONFIG_VALUE_${i}`]: value }));
    return execFileSync('sh', ['-ec', script, 'sh', ...args], { cwd: this.root, encoding: 'utf8', env });
  }

  commit(message = 'change'): string {
    return this.shell('git add -A\ngit commit -q --allow-empty -m "$1"\ngit rev-parse HEAD', message).trim();
  }

  /** Back to `commit`, working tree included. */
  reset(commit: string): void {
    this.shell('git reset -q --hard "$1"\ngit clean -q -fd', commit);
  }

  read(file: string): Obj {
    return parse(fs.readFileSync(path.join(this.root, file), 'utf8')) as Obj;
  }

  write(file: string, object: Obj | string): void {
    fs.mkdirSync(path.dirname(path.join(this.root, file)), { recursive: true });
    fs.writeFileSync(path.join(this.root, file), typeof object === 'string' ? object : toYaml(object));
  }

  /** Changes one object of dist/ in place. */
  edit(file: string, change: (object: Obj) => void): void {
    const object = this.read(file);
    change(object);
    this.write(file, object);
  }

  remove(file: string): void {
    fs.rmSync(path.join(this.root, file), { recursive: true, force: true });
  }

  /** Runs the command; `head` dist compares the files on disk, rendered renders config/. */
  run(...args: string[]): { code: number; stdout: string; stderr: string } {
    const out: string[] = [];
    const err: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    const log = jest.spyOn(console, 'log').mockImplementation((m) => out.push(`${String(m)}\n`));
    const error = jest.spyOn(console, 'error').mockImplementation((m) => err.push(String(m)));
    try {
      return { code: main(args, this.root), stdout: out.join(''), stderr: err.join('\n') };
    } finally {
      write.mockRestore();
      log.mockRestore();
      error.mockRestore();
    }
  }

  /** The JSON report of the working tree's dist/ against the base (default: HEAD). */
  report(...args: string[]): JsonReport {
    const { code, stdout, stderr } = this.run('--head', 'dist', '--format', 'json', ...args);
    if (code !== 0) throw new Error(`npm run diff exited ${code}: ${stderr}`);
    return JSON.parse(stdout) as JsonReport;
  }

  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** The one changed object of that kind and name in the report; fails when missing. */
export function objectIn(report: JsonReport, folder: string, kind: string, name: string): JsonReport['folders'][number]['objects'][number] {
  const found = report.folders.find((f) => f.folder === folder)?.objects.find((o) => o.kind === kind && o.name === name);
  if (!found) throw new Error(`no change to ${kind} ${name} in dist/${folder}: ${JSON.stringify(report.folders.map((f) => f.summary))}`);
  return found;
}

/** The risk messages of one kind. */
export function risksOf(object: { risks: { kind: string; message: string }[] }, kind: string): string[] {
  return object.risks.filter((r) => r.kind === kind).map((r) => r.message);
}
