import { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../../imports/prometheusrules-monitoring.coreos.com';
import { checkProps, ObjectProps } from '../props';
import { PrometheusRuleGroup } from './prometheus-rule-groups';

/** `metadata.labels` must match the Prometheus ruleSelector. */
export interface ApiPrometheusRuleProps extends ObjectProps {
  readonly groups: readonly PrometheusRuleGroup[];
}

/** The recording and alerting rules of the API, as one PrometheusRule. */
export class ApiPrometheusRule extends Construct {
  constructor(scope: Construct, id: string, props: ApiPrometheusRuleProps) {
    super(scope, id);
    const check = checkProps('ApiPrometheusRule', props).object(props).nonEmpty('groups', props.groups);
    const names = props.groups.map((g) => g.name);
    // Prometheus refuses a rule file with two groups of one name (rulefmt: "groupname ... is repeated in the same file").
    for (const name of names) check.that(names.indexOf(name) === names.lastIndexOf(name), 'groups', `has "${name}" twice`);
    for (const g of props.groups) check.nonEmpty(`groups["${g.name}"].rules`, g.rules);
    new PrometheusRule(this, 'Resource', {
      metadata: props.metadata,
      spec: {
        groups: props.groups.map((g) => ({
          name: g.name,
          rules: g.rules.map((r) => ({ ...r, expr: PrometheusRuleSpecGroupsRulesExpr.fromString(r.expr) })),
        })),
      },
    });
  }
}
