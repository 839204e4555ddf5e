import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main as checklist } from '../../lib/checklist/cli';
import { main as synth } from '../../lib/synth/cli';
import { Finding, formatFinding } from '../../lib/validate/finding';
import { SchemaStore } from '../../lib/validate/schema/store';
import { validateDist } from '../../lib/validate/validate';
import { ROOT } from './env';

/** What a command printed and returned. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let store: SchemaStore | undefined;

/**
 * A throw-away project (config/environments/ and dist/) that runs the three
 * commands CI runs, in-process: `npm run synth`, `npm run validate` and
 * `npm run checklist`. The validator's schema store is shared by every
 * project (it only reads schemas/).
 */
export class PipelineProject {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'odoo-finder-pipeline-'));

  constructor(environments: Record<string, string> = committedEnvironmentFiles()) {
    fs.mkdirSync(this.environmentsDir, { recursive: true });
    for (const [file, text] of Object.entries(environments)) fs.writeFileSync(path.join(this.environmentsDir, file), text);
  }

  get environmentsDir(): string {
    return path.join(this.root, 'config', 'environments');
  }

  /** `npm run synth -- args`, in-process. */
  synth(...args: string[]): CommandResult {
    return capture(() => synth(args, this.root));
  }

  /** `npm run validate` (or only some environments): its error findings, formatted. */
  validateErrors(environments?: string[]): string[] {
    store ??= new SchemaStore(ROOT);
    const report = validateDist(this.root, environments, store);
    return report.findings.filter((f: Finding) => f.severity === 'error').map(formatFinding);
  }

  /** `npm run checklist -- --env NAME`, in-process (the repository's docs/ stand in for the project's). */
  checklist(env: string): CommandResult {
    const out: string[] = [];
    const err: string[] = [];
    const docs = path.join(this.root, 'docs');
    if (!fs.existsSync(docs)) fs.symlinkSync(path.join(ROOT, 'docs'), docs);
    store ??= new SchemaStore(ROOT);
    const code = checklist(['--env', env], this.root, (s) => out.push(s), (s) => err.push(s), store);
    return { code, stdout: out.join(''), stderr: err.join('\n') };
  }

  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** The committed environment files, by file name. */
export function committedEnvironmentFiles(): Record<string, string> {
  const dir = path.join(ROOT, 'config', 'environments');
  return Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

/** Runs `fn`, capturing console.log and console.error. */
function capture(fn: () => number): CommandResult {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...m) => out.push(m.join(' ')));
  const error = jest.spyOn(console, 'error').mockImplementation((...m) => err.push(m.join(' ')));
  try {
    return { code: fn(), stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}
