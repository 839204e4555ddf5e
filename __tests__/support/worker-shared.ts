/**
 * A map shared by the test files one jest worker runs. Jest gives each file
 * its own modules, so a module-level cache lives one file; a Node core module
 * object (os) is the one thing the files of a worker share. For answers that
 * depend only on their key and are costly to make again in every file (the
 * compiled schemas, the rendered environments): keep objects that are only
 * read, and hand out copies of what a test may change. At most `limit`
 * entries (the oldest go first).
 */
export function workerShared<V>(name: string, limit = 200): { get(key: string): V | undefined; set(key: string, value: V): void } {
  const holder = jest.requireActual<Record<symbol, Map<string, unknown> | undefined>>('os');
  const symbol = Symbol.for(`odoo-finder-deploy.worker-shared.${name}`);
  const map = (holder[symbol] ??= new Map<string, unknown>());
  return {
    get: (key) => map.get(key) as V | undefined,
    set: (key, value) => {
      if (map.size >= limit) map.delete(map.keys().next().value as string);
      map.set(key, value);
    },
  };
}
