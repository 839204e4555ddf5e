/**
 * Jest setup (jest.config.js setupFilesAfterEnv): the validator's YAML reader,
 * `parseResources`, reads each distinct file once per test file. Tests hand
 * the validator the same committed files case after case (a folder with one
 * object changed, the mutation corpus's unchanged folders, the checklist after
 * validate), and reading YAML with positions was a tenth of the suite's CPU.
 *
 * The answer depends only on the arguments, so it is kept by them. Each call
 * gets its own copies of the objects and findings (a test may change what it
 * got); the line lookup is shared (it only reads the parsed document).
 * Bounded: the oldest answers are dropped past MAX_FILES.
 */
import type * as Reader from '../../lib/validate/resource';

jest.mock('../../lib/validate/resource', () => {
  const actual = jest.requireActual<typeof Reader>('../../lib/validate/resource');
  const MAX_FILES = 400;
  const read = new Map<string, ReturnType<typeof Reader.parseResources>>();
  const copy = <T>(value: T): T =>
    Array.isArray(value) ? (value.map(copy) as T) : value !== null && typeof value === 'object' ? (Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)])) as T) : value;
  const parseResources: typeof Reader.parseResources = (file, folder, text) => {
    const key = `${file}\0${folder}\0${text}`;
    let answer = read.get(key);
    if (answer === undefined) {
      answer = actual.parseResources(file, folder, text);
      if (read.size >= MAX_FILES) read.delete(read.keys().next().value as string);
      read.set(key, answer);
    }
    return {
      resources: answer.resources.map((r) => ({ ...r, object: copy(r.object) })),
      findings: answer.findings.map(copy),
    };
  };
  return { ...actual, parseResources };
});
