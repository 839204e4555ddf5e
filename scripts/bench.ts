// `npm run bench`: wall time of `npm run synth` against the cdk8s template's default
// (`cdk8s synth` running `npx ts-node main.ts`), same app, same machine, median of several runs.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = process.cwd();
const runs = Number(process.env.BENCH_RUNS ?? 5);
const slowRuns = Number(process.env.BENCH_SLOW_RUNS ?? 3);

function time(label: string, command: string, args: string[], n: number): number {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'odoo-finder-bench-'));
    const started = process.hrtime.bigint();
    const result = spawnSync(command, [...args, outdir], { cwd: root, encoding: 'utf8' });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    fs.rmSync(outdir, { recursive: true, force: true });
    if (result.status !== 0) throw new Error(`${label} failed:\n${result.stdout}${result.stderr}`);
    samples.push(seconds);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  console.log(`${label.padEnd(44)} median ${median.toFixed(3)} s  (runs: ${samples.map((s) => s.toFixed(3)).join(', ')})`);
  return median;
}

console.log(`synth of all environments, wall time, ${os.cpus().length} cores\n`);
const fast = time('npm run synth (esbuild + node)', 'npm', ['run', '-s', 'synth', '--', '--outdir'], runs);
const slow = time('cdk8s synth --app "npx ts-node main.ts"', 'npx', ['cdk8s', 'synth', '--app', 'npx ts-node main.ts', '--output'], slowRuns);
console.log(`\nratio: npm run synth is ${(slow / fast).toFixed(1)}x faster than the ts-node default`);
