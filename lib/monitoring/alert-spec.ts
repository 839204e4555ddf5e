import { MonitoringContext } from './context';

/** critical pages the on-call, warning makes a ticket, info is only shown (Alertmanager drops it). */
export type Severity = 'critical' | 'warning' | 'info';

/** Incident levels of the seed's "Incident Response Playbook". */
export const LEVELS = {
  P1: { name: 'Critical', responseTime: 'Immediate', escalation: 'Page on-call immediately' },
  P2: { name: 'High', responseTime: '< 1 hour', escalation: 'Notify team lead' },
  P3: { name: 'Medium', responseTime: '< 4 hours', escalation: 'Create ticket' },
  P4: { name: 'Low', responseTime: 'Next business day', escalation: 'None' },
} as const;
export type Level = keyof typeof LEVELS;

/** A mitigation; when it is a change of the environment file, `config` gives the one line to change. */
export interface Solution {
  readonly text: string;
  readonly config?: { readonly key: string; readonly value: string };
}

/** One alert: its rule and its runbook. */
export interface AlertSpec {
  readonly name: string;
  readonly severity: Severity;
  readonly level: Level;
  readonly for?: string;
  readonly expr: (ctx: MonitoringContext) => string;
  readonly summary: string;
  /** Alertmanager template; `{{ $value }}` is the value of the expression. */
  readonly description: (ctx: MonitoringContext) => string;
  /** Runbook: what the alert means and why it matters. */
  readonly meaning: (ctx: MonitoringContext) => string;
  readonly diagnosis: readonly string[];
  readonly solutions: readonly Solution[];
}
