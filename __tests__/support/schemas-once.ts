/**
 * Jest setup (jest.config.js setupFilesAfterEnv): one SchemaStore of the
 * project's schemas per jest worker, shared by the test files it runs.
 * Compiling the Kubernetes and CRD schemas was about 0.1 s of CPU in each of
 * 40 files. The store only reads schemas/ (never changed by a test) and keeps
 * what it compiled, so a later file gets the answers a new store would give.
 * The store is kept in a map of the worker (worker-shared.ts); a store for
 * another root (a test's own CRDs) is made new each time.
 */
import type * as Store from '../../lib/validate/schema/store';

jest.mock('../../lib/validate/schema/store', () => {
  const actual = jest.requireActual<typeof Store>('../../lib/validate/schema/store');
  const path = jest.requireActual<typeof import('path')>('path');
  const projectRoot = path.resolve(__dirname, '..', '..');
  const { workerShared } = jest.requireActual<typeof import('./worker-shared')>('./worker-shared');
  const stores = workerShared<Store.SchemaStore>('schema-stores');
  /** `new SchemaStore(root)`: the worker's store of the project's schemas, or a new one for another root. */
  function SchemaStore(root: string): Store.SchemaStore {
    if (path.resolve(root) !== projectRoot) return new actual.SchemaStore(root);
    let shared = stores.get(projectRoot);
    if (!shared) {
      shared = new actual.SchemaStore(root);
      stores.set(projectRoot, shared);
    }
    return shared;
  }
  SchemaStore.prototype = actual.SchemaStore.prototype;
  return { ...actual, SchemaStore };
});
