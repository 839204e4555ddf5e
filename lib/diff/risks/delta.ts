import { Resource } from '../../validate/resource';
import { FieldChange, Risk } from '../model';

/** What a check may need to know about the rest of the object's folder. */
export interface FolderContext {
  /** The Argo Rollout whose `workloadRef` names this Deployment: it, not the Deployment, rolls the pods. */
  rolloutOf(deploymentName: string): Resource | undefined;
}

/** One object on both sides (either may be missing) and the fields that differ. */
export interface ObjectDelta {
  readonly before?: Resource;
  readonly after?: Resource;
  readonly fields: readonly FieldChange[];
  readonly folder?: FolderContext;
}

/** The findings of one class of risk about one object: risks to flag, and notes that explain. */
export interface Assessment {
  readonly risks: Risk[];
  readonly notes: string[];
}

export type RiskCheck = (delta: ObjectDelta) => Partial<Assessment>;

/** The object as it is after the change, or as it was if removed. */
export function subject(delta: ObjectDelta): Resource {
  return (delta.after ?? delta.before)!;
}
