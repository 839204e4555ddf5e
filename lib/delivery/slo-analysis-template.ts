import { Construct } from 'constructs';
import {
  AnalysisTemplate,
  AnalysisTemplateSpecMetricsConsecutiveErrorLimit,
  AnalysisTemplateSpecMetricsConsecutiveSuccessLimit,
  AnalysisTemplateSpecMetricsCount,
  AnalysisTemplateSpecMetricsFailureLimit,
  AnalysisTemplateSpecMetricsInconclusiveLimit,
} from '../../imports/analysistemplates-argoproj.io';
import { CANARY_HASH_ARG, CanarySli } from '../monitoring/canary-analysis';
import { checkProps, ObjectProps } from '../props';

export interface SloAnalysisTemplateProps extends ObjectProps {
  /** Base URL of the Prometheus HTTP API the controller queries. */
  readonly prometheusAddress: string;
  readonly slis: readonly CanarySli[];
  /** Time between measurements, e.g. `1m`. */
  readonly interval: string;
  /** Wait before the first measurement (a background run starts with the first canary pod: give it a window of traffic). */
  readonly initialDelay?: string;
  /** Most measurements of the run; undefined: until the rollout ends (background analysis). */
  readonly count?: number;
  /**
   * Successful measurements in a row that end the run Successful; with a `count`, a run that takes
   * `count` measurements without them ends Inconclusive. Undefined: the run succeeds when it reaches
   * `count` within the limits, whatever its measurements were.
   */
  readonly consecutiveSuccessLimit?: number;
  /** Failed measurements tolerated; one more fails the run. */
  readonly failureLimit: number;
  /** Inconclusive measurements tolerated; one more makes the run Inconclusive (the rollout pauses). */
  readonly inconclusiveLimit: number;
  /** Consecutive query errors tolerated; one more makes the run Error (the rollout aborts). */
  readonly consecutiveErrorLimit: number;
}

/**
 * An AnalysisTemplate with one Prometheus metric per SLI of the canary. How
 * Argo Rollouts judges it (argo-rollouts analysis/analysis.go assessMetricStatus):
 * a metric fails when its failed measurements exceed failureLimit, is
 * inconclusive when its inconclusive ones exceed inconclusiveLimit, errors after
 * more than consecutiveErrorLimit query errors in a row; it succeeds after
 * consecutiveSuccessLimit successes in a row when one is given (Inconclusive
 * when `count` comes first), else when it reaches `count` (or when the rollout
 * ends a background run) without those.
 */
export class SloAnalysisTemplate extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: SloAnalysisTemplateProps) {
    super(scope, id);
    checkProps('SloAnalysisTemplate', props)
      .object(props)
      .nonEmpty('slis', props.slis)
      .integer('count', props.count, { min: 1 })
      .integer('consecutiveSuccessLimit', props.consecutiveSuccessLimit, { min: 1 })
      .integer('failureLimit', props.failureLimit, { min: 0 })
      .integer('inconclusiveLimit', props.inconclusiveLimit, { min: 0 })
      .integer('consecutiveErrorLimit', props.consecutiveErrorLimit, { min: 0 })
      .that(/^https?:\/\//.test(props.prometheusAddress), 'prometheusAddress', `is "${props.prometheusAddress}", not an http(s) URL`);
    const template = new AnalysisTemplate(this, 'Resource', {
      metadata: props.metadata,
      spec: {
        args: [{ name: CANARY_HASH_ARG }],
        metrics: props.slis.map((sli) => ({
          name: sli.name,
          interval: props.interval,
          ...(props.initialDelay ? { initialDelay: props.initialDelay } : {}),
          ...(props.count !== undefined ? { count: AnalysisTemplateSpecMetricsCount.fromNumber(props.count) } : {}),
          ...(props.consecutiveSuccessLimit !== undefined ? { consecutiveSuccessLimit: AnalysisTemplateSpecMetricsConsecutiveSuccessLimit.fromNumber(props.consecutiveSuccessLimit) } : {}),
          successCondition: sli.successCondition,
          failureCondition: sli.failureCondition,
          failureLimit: AnalysisTemplateSpecMetricsFailureLimit.fromNumber(props.failureLimit),
          inconclusiveLimit: AnalysisTemplateSpecMetricsInconclusiveLimit.fromNumber(props.inconclusiveLimit),
          consecutiveErrorLimit: AnalysisTemplateSpecMetricsConsecutiveErrorLimit.fromNumber(props.consecutiveErrorLimit),
          provider: { prometheus: { address: props.prometheusAddress, query: sli.query } },
        })),
      },
    });
    this.name = template.name;
  }
}
