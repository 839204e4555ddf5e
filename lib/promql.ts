import { parser } from '@prometheus-io/lezer-promql';

/** A syntax error in a PromQL expression, with its 0-based character offset. */
export interface PromqlError {
  readonly offset: number;
  readonly message: string;
}

/**
 * Syntax errors of a PromQL expression, by the parser of the Prometheus web UI
 * (`@prometheus-io/lezer-promql`). Empty when it parses. It does not type-check
 * (a range vector where an instant vector is needed): `promtool check rules` does.
 */
export function promqlErrors(expr: string): PromqlError[] {
  const errors: PromqlError[] = [];
  if (expr.trim() === '') return [{ offset: 0, message: 'empty expression' }];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) {
        const near = expr.slice(node.from, node.from + 20) || 'end of expression';
        errors.push({ offset: node.from, message: `syntax error at character ${node.from + 1} near "${near}"` });
      }
    },
  });
  return errors;
}

/** Metric names an expression selects (`foo` in `rate(foo{a="b"}[5m])`), in order of appearance, without duplicates. */
export function metricNames(expr: string): string[] {
  const names: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.name === 'VectorSelector') {
        const identifier = node.node.getChild('Identifier');
        if (identifier) names.push(expr.slice(identifier.from, identifier.to));
        else {
          // {__name__="foo"} form
          const m = /__name__\s*=\s*"([^"]+)"/.exec(expr.slice(node.from, node.to));
          if (m) names.push(m[1]);
        }
      }
    },
  });
  return [...new Set(names)];
}
