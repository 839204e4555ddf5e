import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describeSamples, median, record, samples, Samples, timeOnce } from './measure';
import { projectWithEnvironments } from './project-copy';

/** The speed goals of issue 11, each named once. */
const GOALS = {
  /** `npm run synth` of the committed environments, median wall time. */
  synthSeconds: 0.6,
  /** How many times faster than the cdk8s template's way (`cdk8s synth` running `npx ts-node main.ts`). */
  synthSpeedup: 15,
  /** `npm run synth` of 50 environments, median wall time. */
  fiftyEnvironmentsSeconds: 1.5,
  /** `npm test`, type check included, wall time on 2 cores. */
  testSeconds: 25,
} as const;

const FIFTY = 50;

interface Options {
  /** Runs of each fast measurement. */
  readonly runs: number;
  /** Runs of the ts-node way (about ten seconds each). */
  readonly slowRuns: number;
  /** Runs of `npm test` (a minute each); 0 skips it. */
  readonly testRuns: number;
}

const USAGE = `usage: npm run bench

Measures, on this machine, with their goals (median wall times):
  npm run synth of the committed environments, and the same app run the cdk8s
  template's way (cdk8s synth + ts-node) side by side, interleaved;
  npm run synth of ${FIFTY} environments generated in a temporary copy;
  npm test (type check included).
Environment: BENCH_RUNS (default 9), BENCH_SLOW_RUNS (3), BENCH_TEST_RUNS (1; 0 skips npm test).`;

/** `npm run bench`: prints every measurement and goal; returns the exit code (0 even when a goal is missed). */
export function main(argv: readonly string[], root = process.cwd()): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const options: Options = {
    runs: Number(process.env.BENCH_RUNS ?? 9),
    slowRuns: Number(process.env.BENCH_SLOW_RUNS ?? 3),
    testRuns: Number(process.env.BENCH_TEST_RUNS ?? 1),
  };
  console.log(`npm run bench: wall times on ${os.cpus().length} cores, node ${process.version}\n`);
  const rows: Row[] = [];

  const { fast, slow } = synthSideBySide(root, options);
  console.log(`npm run synth (committed environments)      ${describeSamples(fast)}`);
  console.log(`cdk8s synth --app "npx ts-node main.ts"      ${describeSamples(slow)}`);
  const speedup = median(slow.seconds) / median(fast.seconds);
  rows.push(
    { what: 'npm run synth, committed environments', value: median(fast.seconds), unit: 's', goal: GOALS.synthSeconds, better: 'lower' },
    { what: 'same, times faster than cdk8s synth + ts-node', value: speedup, unit: 'x', goal: GOALS.synthSpeedup, better: 'higher' },
  );

  const fifty = synthOfFifty(root, options);
  console.log(`npm run synth (${FIFTY} environments)             ${describeSamples(fifty)}`);
  rows.push({ what: `npm run synth, ${FIFTY} environments`, value: median(fifty.seconds), unit: 's', goal: GOALS.fiftyEnvironmentsSeconds, better: 'lower' });

  if (options.testRuns > 0) {
    const tests = timeRuns('npm test', 'npm', ['test', '--silent'], root, options.testRuns);
    console.log(`npm test                                    ${describeSamples(tests)}`);
    rows.push({ what: 'npm test (type check included)', value: median(tests.seconds), unit: 's', goal: GOALS.testSeconds, better: 'lower' });
  }

  console.log(`\n${table(rows)}`);
  return 0;
}

/**
 * `npm run synth` and the ts-node way, interleaved so that both see the same
 * machine load. Each writes to a fresh temporary folder. One untimed run of
 * `npm run synth` first builds the bundle if it is stale.
 */
function synthSideBySide(root: string, options: Options): { fast: Samples; slow: Samples } {
  const fast = samples('npm run synth');
  const slow = samples('cdk8s synth + ts-node');
  const synth = (outdir: string) => timeOnce('npm run synth', 'npm', ['run', '-s', 'synth', '--', '--outdir', outdir], root);
  withOutdir(synth);
  for (let i = 0; i < Math.max(options.runs, options.slowRuns); i++) {
    if (i < options.runs) record(fast, withOutdir(synth));
    if (i < options.slowRuns) record(slow, withOutdir((outdir) => timeOnce('cdk8s synth with ts-node', 'npx', ['cdk8s', 'synth', '--app', 'npx ts-node main.ts', '--output', outdir], root)));
  }
  return { fast, slow };
}

/** `npm run synth` in a temporary copy of the project with 50 environments (after one untimed run that bundles). */
function synthOfFifty(root: string, options: Options): Samples {
  const copy = projectWithEnvironments(root, FIFTY);
  try {
    timeOnce('npm run synth (50 environments, first run)', 'npm', ['run', '-s', 'synth'], copy);
    return timeRuns(`npm run synth (${FIFTY} environments)`, 'npm', ['run', '-s', 'synth'], copy, options.runs);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

function timeRuns(label: string, command: string, args: readonly string[], cwd: string, runs: number): Samples {
  const result = samples(label);
  for (let i = 0; i < runs; i++) record(result, timeOnce(label, command, args, cwd));
  return result;
}

function withOutdir<T>(fn: (outdir: string) => T): T {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'odoo-finder-bench-out-'));
  try {
    return fn(outdir);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

interface Row {
  readonly what: string;
  readonly value: number;
  readonly unit: 's' | 'x';
  readonly goal: number;
  readonly better: 'lower' | 'higher';
}

function table(rows: readonly Row[]): string {
  const format = (value: number, unit: Row['unit']) => (unit === 's' ? `${value.toFixed(value < 10 ? 3 : 1)} s` : `${value.toFixed(1)}x`);
  const lines = rows.map((r) => {
    const met = r.better === 'lower' ? r.value <= r.goal : r.value >= r.goal;
    return [r.what.padEnd(48), format(r.value, r.unit).padStart(9), `goal ${r.better === 'lower' ? '≤' : '≥'} ${format(r.goal, r.unit)}`.padStart(16), met ? '  met' : '  NOT MET'].join('');
  });
  return ['goal'.padEnd(48) + 'median'.padStart(9), ...lines].join('\n');
}
