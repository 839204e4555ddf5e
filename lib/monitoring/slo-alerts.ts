import { AlertSpec, Solution } from './alert-spec';
import { MonitoringContext } from './context';
import { burnRateExpr, PAGE_BURN, SLO_PERIOD, TICKET_BURN } from './slo';
import { percentOf } from './thresholds';

/** The multi-window, multi-burn-rate alert of an SLI: `fast` is P2 (notify the team lead), `slow` P3 (a ticket). */
export function sloAlert(sli: 'availability' | 'latency', speed: 'fast' | 'slow', mitigations: { availability: Solution[]; latency: Solution[] }): AlertSpec {
  const Sli = sli === 'availability' ? 'Availability' : 'Latency';
  const fast = speed === 'fast';
  const what = (c: MonitoringContext) =>
    sli === 'availability' ? `${c.availability.objectivePercent}% of searches succeed` : `${c.latency.objectivePercent}% of searches finish within ${c.latency.thresholdSeconds}s`;
  const bad = (c: MonitoringContext) => (sli === 'availability' ? 'failed' : `took longer than ${c.latency.thresholdSeconds}s`);
  return {
    name: `OdooFinder${Sli}BudgetBurn${fast ? 'Fast' : 'Slow'}`,
    level: fast ? 'P2' : 'P3',
    problem: sli,
    expr: (c) => burnRateExpr(c, sli, fast ? PAGE_BURN : TICKET_BURN),
    summary: () => `The ${sli} SLO error budget is burning ${fast ? 'fast' : 'steadily'}.`,
    description: (c) =>
      `{{ $value | humanizePercentage }} of searches in ${c.namespace} ${bad(c)} over the long window; the SLO (${what(c)} over ${SLO_PERIOD}) allows ${percentOf(c[sli].budget)}%.`,
    meaning: (c) => {
      const conditions = (fast ? PAGE_BURN : TICKET_BURN)
        .map((b) => `${b.factor}× the budget rate over both ${b.long} and ${b.short}`)
        .join(', or ');
      return (
        `The ${sli} SLO is "${what(c)} over ${SLO_PERIOD}". Its error budget is ${percentOf(c[sli].budget)}% of searches. ` +
        `This alert fires when the budget burns at ${conditions} (multi-window, multi-burn-rate, Google SRE workbook). ` +
        (fast
          ? 'At this rate the whole 30-day budget is gone in days: act within the hour.'
          : 'At this rate the budget will not last the 30 days: fix it in working hours.')
      );
    },
    diagnosis:
      sli === 'availability'
        ? ['Follow the diagnosis of [HighErrorRate](HighErrorRate.md): logs, database, API keys, rate limits, recent deployment.', 'Dashboard: "Error ratio" and "SLO error budget left" panels.']
        : ['Follow the diagnosis of [HighLatency](HighLatency.md): active searches, connection pool, LLM latency, cache hit rate.', 'Dashboard: "Latency percentiles by search mode" and "SLO error budget left" panels.'],
    solutions: mitigations[sli],
  };
}
