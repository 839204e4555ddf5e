import { Risk } from '../model';
import { alertingChanges } from './alerting';
import { dataAtRisk } from './data';
import { Assessment, ObjectDelta, RiskCheck } from './delta';
import { secretStoreChanges } from './secret-store';
import { securityChanges } from './security';
import { imageChanges, immutableFields, rolloutHandBack, rolloutTakeOver, rollsPods } from './workloads';

export type { ObjectDelta } from './delta';

/** Every class of risk, in the order they are reported. */
const CHECKS: readonly RiskCheck[] = [dataAtRisk, rolloutHandBack, rolloutTakeOver, secretStoreChanges, immutableFields, rollsPods, imageChanges, alertingChanges, securityChanges];

/** The risks a reviewer must not miss in one object's change, and notes that explain how it applies. */
export function assess(delta: ObjectDelta): Assessment {
  const risks: Risk[] = [];
  const notes: string[] = [];
  for (const check of CHECKS) {
    const found = check(delta);
    risks.push(...(found.risks ?? []));
    notes.push(...(found.notes ?? []));
  }
  return { risks, notes };
}
