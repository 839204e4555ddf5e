import { spawnSync } from 'child_process';
import * as fs from 'fs';

/** Several runs of one command: wall times, and CPU times when the system reports them. */
export interface Samples {
  readonly label: string;
  readonly seconds: number[];
  /** User + system CPU seconds of each run (with its child processes), or empty where unknown. */
  readonly cpuSeconds: number[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Linux clock ticks per second (`getconf CLK_TCK`), the unit of /proc/<pid>/stat times. */
const CLOCK_TICKS = 100;

/**
 * CPU seconds used so far by the waited-for children of this process (cutime + cstime of
 * /proc/self/stat, Linux only): on a shared machine, a measure that the other load does not inflate.
 */
function childrenCpuSeconds(): number | undefined {
  try {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** Runs a command once: its wall and CPU time. A failure throws with its output. */
export function timeOnce(label: string, command: string, args: readonly string[], cwd: string): { seconds: number; cpuSeconds?: number } {
  const cpuBefore = childrenCpuSeconds();
  const started = process.hrtime.bigint();
  const result = spawnSync(command, [...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = childrenCpuSeconds();
  if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  return { seconds, cpuSeconds: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
}

/** Adds one run to samples. */
export function record(samples: Samples, run: { seconds: number; cpuSeconds?: number }): void {
  samples.seconds.push(run.seconds);
  if (run.cpuSeconds !== undefined) samples.cpuSeconds.push(run.cpuSeconds);
}

export function samples(label: string): Samples {
  return { label, seconds: [], cpuSeconds: [] };
}

/** `median 0.412 s (runs: 0.398, 0.412, 0.530), CPU median 0.350 s` */
export function describeSamples(s: Samples): string {
  const cpu = s.cpuSeconds.length > 0 ? `, CPU median ${median(s.cpuSeconds).toFixed(3)} s` : '';
  return `median ${median(s.seconds).toFixed(3)} s (runs: ${s.seconds.map((x) => x.toFixed(3)).join(', ')})${cpu}`;
}
