import { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../../imports/prometheusrules-monitoring.coreos.com';
import { RuleGroup } from './rules';

export interface ApiPrometheusRuleProps {
  readonly name: string;
  /** Labels of the PrometheusRule; they must match the Prometheus ruleSelector. */
  readonly labels: Record<string, string>;
  readonly groups: readonly RuleGroup[];
}

/** The recording and alerting rules of the API, as one PrometheusRule. */
export class ApiPrometheusRule extends Construct {
  constructor(scope: Construct, id: string, props: ApiPrometheusRuleProps) {
    super(scope, id);
    new PrometheusRule(this, 'Resource', {
      metadata: { name: props.name, labels: props.labels },
      spec: {
        groups: props.groups.map((g) => ({
          name: g.name,
          rules: g.rules.map((r) => ({ ...r, expr: PrometheusRuleSpecGroupsRulesExpr.fromString(r.expr) })),
        })),
      },
    });
  }
}
