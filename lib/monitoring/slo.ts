import { MonitoringContext, round } from './context';
import { METRICS } from './metrics';

/** Windows of the SLI error-ratio recording rules (Google SRE workbook, chapter 5). */
export const SLO_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type SloWindow = (typeof SLO_WINDOWS)[number];

/** The window the budget is counted over (burn rates assume 30 days). */
export const SLO_PERIOD = '30d';

/** One multi-window burn-rate condition: both windows must burn faster than `factor` times the budget. */
export interface BurnCondition {
  readonly factor: number;
  readonly long: SloWindow;
  readonly short: SloWindow;
}

/** Fast burn, the SRE workbook's "page" condition (here P2: the team lead, not the pager): 2% of the 30-day budget spent in 1h, or 5% in 6h. */
export const PAGE_BURN: readonly BurnCondition[] = [
  { factor: 14.4, long: '1h', short: '5m' },
  { factor: 6, long: '6h', short: '30m' },
];
/** Slow burn, the workbook's "ticket" condition (here P3): 10% of the budget spent in 1d, or 10% in 3d. */
export const TICKET_BURN: readonly BurnCondition[] = [
  { factor: 3, long: '1d', short: '2h' },
  { factor: 1, long: '3d', short: '6h' },
];

/** The two SLIs. */
export type SliName = 'availability' | 'latency';

/** Name of the recording rule holding an SLI's error ratio over a window. */
function sliRecord(sli: SliName, window: SloWindow): string {
  return sli === 'availability' ? `namespace_job:search_requests_errors:ratio_rate${window}` : `namespace_job:search_latency_slow:ratio_rate${window}`;
}

/** The error-ratio expression of an SLI over a window, from the raw series (summed over pods). */
function sliErrorRatio(ctx: MonitoringContext, sli: SliName, window: string): string {
  const by = 'sum by (namespace, job)';
  if (sli === 'availability') {
    const total = METRICS.searchRequests.name;
    return `${by} (rate(${total}{${ctx.api},status="error"}[${window}]))\n/\n${by} (rate(${total}{${ctx.api}}[${window}]))`;
  }
  const latency = METRICS.searchLatency.name;
  return `1 - (\n  ${by} (rate(${latency}_bucket{${ctx.api},le="${ctx.latency.le}"}[${window}]))\n  /\n  ${by} (rate(${latency}_count{${ctx.api}}[${window}]))\n)`;
}

/** Recording rules for every SLI and window. */
export function sliRecordingRules(ctx: MonitoringContext): { record: string; expr: string }[] {
  return (['availability', 'latency'] as const).flatMap((sli) => SLO_WINDOWS.map((w) => ({ record: sliRecord(sli, w), expr: sliErrorRatio(ctx, sli, w) })));
}

/** `(long > f·budget and short > f·budget) or (…)`: the multi-window, multi-burn-rate alert expression. */
export function burnRateExpr(ctx: MonitoringContext, sli: SliName, conditions: readonly BurnCondition[]): string {
  const budget = ctx[sli].budget;
  return conditions
    .map(({ factor, long, short }) => {
      const threshold = round(factor * budget);
      return `(\n  ${sliRecord(sli, long)}{${ctx.api}} > ${threshold}\nand\n  ${sliRecord(sli, short)}{${ctx.api}} > ${threshold}\n)`;
    })
    .join('\nor\n');
}
