import { stringMap } from '../access';
import { Resource } from '../resource';

// How Argo CD reads the argocd.argoproj.io/ annotations of an object
// (gitops-engine pkg/sync/resource/annotations.go, pkg/sync/hook/hook.go, pkg/sync/syncwaves/waves.go).

const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
const HOOK = 'argocd.argoproj.io/hook';
const WAVE = 'argocd.argoproj.io/sync-wave';

/** The sync options of an object, `Name=value` items separated by commas (white-space trimmed). */
export function syncOptionsOf(r: Resource): Map<string, string> {
  const value = stringMap(r.object, 'metadata', 'annotations')[SYNC_OPTIONS] ?? '';
  const options = new Map<string, string>();
  for (const item of value.split(',').map((i) => i.trim())) {
    const eq = item.indexOf('=');
    if (eq > 0) options.set(item.slice(0, eq), item.slice(eq + 1));
  }
  return options;
}

/** The hook phases of an object (`PreSync`, `Sync`, `PostSync`, ...); empty for a plain resource. */
export function hookPhasesOf(r: Resource): string[] {
  const value = stringMap(r.object, 'metadata', 'annotations')[HOOK];
  return value === undefined ? [] : value.split(',').map((p) => p.trim()).filter(Boolean);
}

/** The sync wave of an object (0 without the annotation or with a value strconv.Atoi refuses). */
function syncWaveOf(r: Resource): number {
  const value = stringMap(r.object, 'metadata', 'annotations')[WAVE];
  return value !== undefined && /^-?\d+$/.test(value) ? Number(value) : 0;
}

const PHASES = ['PreSync', 'Sync', 'PostSync'];

/**
 * When Argo CD applies an object in a sync: its phase (PreSync, then Sync,
 * then PostSync; plain resources are in Sync) and its wave within the phase.
 * Undefined for objects no sync applies (SyncFail, PostDelete and Skip hooks).
 */
export function syncStepOf(r: Resource): { readonly phase: number; readonly wave: number } | undefined {
  const phases = hookPhasesOf(r);
  const phase = phases.length === 0 ? 1 : Math.min(...phases.map((p) => PHASES.indexOf(p)).filter((i) => i >= 0));
  return Number.isFinite(phase) ? { phase, wave: syncWaveOf(r) } : undefined;
}

/** Negative when step `a` comes before `b`, 0 when both are applied together. */
export function compareSteps(a: { phase: number; wave: number }, b: { phase: number; wave: number }): number {
  return a.phase - b.phase || a.wave - b.wave;
}

/** `wave -5`, `PostSync wave 0`, for messages. */
export function describeStep(step: { phase: number; wave: number }): string {
  return step.phase === 1 ? `wave ${step.wave}` : `${PHASES[step.phase]} wave ${step.wave}`;
}
