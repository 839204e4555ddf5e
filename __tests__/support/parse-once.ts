/**
 * Jest setup (jest.config.js setupFilesAfterEnv): the validator's YAML reader,
 * `parseResources`, reads each distinct file once per jest worker (kept with
 * worker-shared.ts). Tests hand the validator the same committed files case
 * after case and file after file (a folder with one object changed, the
 * mutation corpus's unchanged folders, the checklist after validate), and
 * reading YAML with positions was a tenth of the suite's CPU.
 *
 * The answer depends only on the arguments, so it is kept by them. Each call
 * gets its own copies of the objects and findings (a test may change what it
 * got); the line lookup is shared (it only reads the parsed document).
 * Bounded: the oldest answers are dropped past MAX_FILES.
 */
import type * as Reader from '../../lib/validate/resource';

/** Answers kept (the oldest are dropped first). */
const MAX_FILES = 400;

jest.mock('../../lib/validate/resource', () => {
  const actual = jest.requireActual<typeof Reader>('../../lib/validate/resource');
  const { workerShared } = jest.requireActual<typeof import('./worker-shared')>('./worker-shared');
  const read = workerShared<ReturnType<typeof Reader.parseResources>>('parsed-files', MAX_FILES);
  const copy = <T>(value: T): T =>
    Array.isArray(value) ? (value.map(copy) as T) : value !== null && typeof value === 'object' ? (Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)])) as T) : value;
  const parseResources: typeof Reader.parseResources = (file, folder, text) => {
    const key = `${file}\0${folder}\0${text}`;
    let answer = read.get(key);
    if (answer === undefined) {
      answer = actual.parseResources(file, folder, text);
      read.set(key, answer);
    }
    return {
      resources: answer.resources.map((r) => ({ ...r, object: copy(r.object) })),
      findings: answer.findings.map(copy),
    };
  };
  return { ...actual, parseResources };
});
