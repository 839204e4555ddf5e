/**
 * Jest setup (jest.config.js setupFilesAfterEnv): each real tool is probed
 * once per `npm test` run instead of once per test file (lib/tools.ts keeps
 * the answer per process, and jest loads lib/ again for every file):
 * `docker-compose version` alone cost a third of a second of CPU in each of
 * the five files that run it. The answer is kept in the run's scratch folder
 * (run-setup.js), so a tool installed or removed between two runs is seen.
 * Outside such a run (no ODOO_FINDER_TEST_RUN) nothing changes.
 */
import type * as Tools from '../../lib/tools';

jest.mock('../../lib/tools', () => {
  const actual = jest.requireActual<typeof Tools>('../../lib/tools');
  const folder = process.env.ODOO_FINDER_TEST_RUN;
  if (!folder) return actual;
  const fs = jest.requireActual<typeof import('fs')>('fs');
  const path = jest.requireActual<typeof import('path')>('path');
  const read = (file: string) => (JSON.parse(fs.readFileSync(file, 'utf8')) as { command: string | null }).command ?? undefined;
  const installedTool: typeof Tools.installedTool = (name) => {
    const file = path.join(folder, `probe-${name}.json`);
    if (fs.existsSync(file)) return read(file);
    // One worker probes (it made the lock); another waits for its answer, up to the probe's own timeout (30 s), then probes too.
    let mine = true;
    try {
      fs.closeSync(fs.openSync(`${file}.lock`, 'wx'));
    } catch {
      mine = false;
    }
    if (!mine) {
      const wait = new Int32Array(new SharedArrayBuffer(4));
      for (let i = 0; i < 1500 && !fs.existsSync(file); i++) Atomics.wait(wait, 0, 0, 20);
      if (fs.existsSync(file)) return read(file);
    }
    const command = actual.installedTool(name);
    // Written whole, then renamed: a worker reading it at the same time sees all of it or nothing.
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify({ command: command ?? null }));
    fs.renameSync(temporary, file);
    return command;
  };
  return { ...actual, installedTool };
});
