import * as path from 'path';
import { ConfigError } from '../config/problems';
import { synthesize } from './synthesize';
import { StepHook } from './write';

const USAGE = `usage: npm run synth [-- --env NAME[,NAME...]] [--outdir DIR]

Renders config/environments/<NAME>.yaml into dist/<NAME>/ (all environments by default).
On any error nothing is written: dist/ stays as it was.`;

/** `npm run synth`: returns the exit code. */
export function main(argv: readonly string[], root = process.cwd()): number {
  let environments: string[] | undefined;
  let outdir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (!v) throw new UsageError(`${arg.split('=')[0]} needs a value`);
      return v;
    };
    try {
      if (arg === '--help' || arg === '-h') {
        console.log(USAGE);
        return 0;
      } else if (arg === '--env' || arg.startsWith('--env=')) {
        environments = [...(environments ?? []), ...value().split(',').filter(Boolean)];
      } else if (arg === '--outdir' || arg.startsWith('--outdir=')) {
        outdir = path.resolve(root, value());
      } else {
        throw new UsageError(`unknown argument "${arg}"`);
      }
    } catch (e) {
      console.error(`synth: ${(e as Error).message}\n${USAGE}`);
      return 2;
    }
  }

  try {
    const started = process.hrtime.bigint();
    const { folders, warnings } = synthesize({ root, outdir, environments }, testHook(process.env[TEST_HOOK_VARIABLE]));
    for (const w of warnings) console.error(`synth: warning: ${w}`);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const summary = [...folders].map(([folder, files]) => `${folder}/ (${files.size} files)`).join(', ');
    console.log(`synth: wrote ${summary} to ${path.relative(root, outdir ?? path.resolve(root, process.env.CDK8S_OUTDIR ?? 'dist')) || '.'} in ${ms.toFixed(0)} ms`);
    return 0;
  } catch (e) {
    const message = e instanceof ConfigError || e instanceof Error ? e.message : String(e);
    console.error(`synth failed: ${message}\nNothing was written: dist/ is unchanged.`);
    return 1;
  }
}

class UsageError extends Error {}

/**
 * For tests only: `kill@N` kills this process (SIGKILL) at the Nth step that
 * changes the disk, `pause@N:MS` sleeps there; any other value is ignored.
 * Nothing sets it outside __tests__/synth/.
 */
export const TEST_HOOK_VARIABLE = 'ODOO_FINDER_SYNTH_TEST_HOOK';

function testHook(spec: string | undefined): StepHook | undefined {
  const match = /^(kill|pause)@(\d+)(?::(\d+))?$/.exec(spec ?? '');
  if (!match) return undefined;
  const [, action, at, ms] = match;
  let step = 0;
  return () => {
    if (++step !== Number(at)) return;
    if (action === 'kill') process.kill(process.pid, 'SIGKILL');
    else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(ms ?? 1000));
  };
}
