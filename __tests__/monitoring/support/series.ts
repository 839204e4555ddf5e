import { LATENCY_BUCKETS, METRICS } from '../../../lib/monitoring/metrics';

/** One input series of a promtool unit test, sampled every minute. */
export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

/** A stretch of time: `minutes` samples with the same behaviour. */
export type Phase<T> = readonly [minutes: number, value: T];

export type Labels = Record<string, string>;

/** `name{a="b",…}` as promtool reads it. */
function seriesName(name: string, labels: Labels): string {
  const inner = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  return `${name}{${inner}}`;
}

/**
 * promtool's expanding notation for a list of samples: runs of a constant step
 * become `start+stepxN` (N+1 samples), so hours of samples stay one short line.
 */
function expand(samples: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < samples.length) {
    if (i === samples.length - 1) {
      parts.push(num(samples[i]));
      break;
    }
    const step = round(samples[i + 1] - samples[i]);
    let j = i + 1;
    while (j + 1 < samples.length && round(samples[j + 1] - samples[j]) === step) j++;
    parts.push(`${num(samples[i])}${step < 0 ? '-' : '+'}${num(Math.abs(step))}x${j - i}`);
    i = j + 1;
  }
  return parts.join(' ');
}

/** The samples of promtool's expanding notation (the inverse of `expand`): `0+6x3 18` → 0, 6, 12, 18, 18. */
export function samplesOf(values: string): number[] {
  return values.split(/\s+/).filter(Boolean).flatMap((part) => {
    const m = /^(-?[\d.e+]+?)([+-])([\d.e+]+)x(\d+)$/.exec(part);
    if (!m) return [Number(part)];
    const [start, step, times] = [Number(m[1]), Number(m[3]) * (m[2] === '-' ? -1 : 1), Number(m[4])];
    return Array.from({ length: times + 1 }, (_, i) => round(start + i * step));
  });
}

/** A gauge holding each phase's value for its minutes. */
export function gauge(name: string, labels: Labels, phases: readonly Phase<number>[]): InputSeries {
  return { series: seriesName(name, labels), values: expand(phases.flatMap(([minutes, v]) => Array<number>(minutes).fill(v))) };
}

/** A counter growing by `perMinute` each minute of a phase; a `'reset'` phase is a restart: the counter reads 0 for its minutes. */
export function counter(name: string, labels: Labels, phases: readonly Phase<number | 'reset'>[]): InputSeries {
  const samples: number[] = [];
  let value = 0;
  samples.push(value);
  for (const [minutes, perMinute] of phases) {
    for (let m = 0; m < minutes; m++) {
      value = perMinute === 'reset' ? 0 : round(value + perMinute);
      samples.push(value);
    }
  }
  return { series: seriesName(name, labels), values: expand(samples) };
}

/** Requests per second and the share of them that fail. */
export interface Traffic {
  readonly rps: number;
  readonly errorRatio: number;
}

/** search_requests_total of one pod: a success and an error series. */
export function requests(labels: Labels, phases: readonly Phase<Traffic>[]): InputSeries[] {
  const name = METRICS.searchRequests.name;
  const base = { ...labels, search_mode: 'hybrid', version: 'v1' };
  return [
    counter(name, { ...base, status: 'success' }, phases.map(([m, t]) => [m, round(t.rps * 60 * (1 - t.errorRatio))])),
    counter(name, { ...base, status: 'error' }, phases.map(([m, t]) => [m, round(t.rps * 60 * t.errorRatio)])),
  ];
}

/**
 * Latency as the cumulative share of searches at or under each bucket
 * boundary, e.g. `{ '0.25': 1 }` (all under 250ms). Boundaries not given take
 * the share of the next smaller one given; +Inf is always 1.
 */
export type LatencyShape = Partial<Record<(typeof LATENCY_BUCKETS)[number], number>>;

export const FAST: LatencyShape = { '0.1': 0.5, '0.25': 1 };
/** P95 = 2.5 + (0.95 − 0.8) / 0.2 × 2.5 = 4.375s; 20% slower than 2.5s. */
export const SLOW: LatencyShape = { '0.5': 0.2, '1.0': 0.5, '2.5': 0.8, '5.0': 1 };
/** Half the searches slower than 2.5s. */
export const HALF_SLOW: LatencyShape = { '1.0': 0.5, '2.5': 0.5, '5.0': 1 };
/** 10% of the searches slower than 2.5s; P95 = 2.5 + (0.95 − 0.9) / 0.1 × 2.5 = 3.75s. */
export const TENTH_SLOW: LatencyShape = { '0.25': 0.9, '2.5': 0.9, '5.0': 1 };

/** search_latency_seconds of one pod: _bucket for every boundary, _count and _sum. */
export function latency(labels: Labels, phases: readonly Phase<{ rps: number; shape: LatencyShape }>[]): InputSeries[] {
  const name = METRICS.searchLatency.name;
  const base = { ...labels, search_mode: 'hybrid', reranking_enabled: 'True' };
  const share = (shape: LatencyShape, le: (typeof LATENCY_BUCKETS)[number]) => {
    if (le === '+Inf') return 1;
    let s = 0;
    for (const b of LATENCY_BUCKETS) {
      if (shape[b] !== undefined) s = shape[b]!;
      if (b === le) return s;
    }
    return s;
  };
  // _sum counts each search at its bucket's upper bound; no rule reads it.
  const mean = (shape: LatencyShape) => LATENCY_BUCKETS.filter((b) => b !== '+Inf').reduce((acc, b, i, all) => acc + (share(shape, b) - (i === 0 ? 0 : share(shape, all[i - 1]))) * Number(b), 0);
  return [
    ...LATENCY_BUCKETS.map((le) => counter(`${name}_bucket`, { ...base, le }, phases.map(([m, p]) => [m, round(p.rps * 60 * share(p.shape, le))]))),
    counter(`${name}_count`, base, phases.map(([m, p]) => [m, round(p.rps * 60)])),
    counter(`${name}_sum`, base, phases.map(([m, p]) => [m, round(p.rps * 60 * mean(p.shape))])),
  ];
}

function round(n: number): number {
  return Number(n.toPrecision(12));
}

function num(n: number): string {
  return String(round(n));
}
