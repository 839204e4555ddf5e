/**
 * jest globalSetup: a scratch folder for one `npm test` run, removed by
 * run-teardown.js. The workers inherit the environment set here:
 * - ODOO_FINDER_TEST_RUN: the folder; tools-once.ts keeps there what each
 *   real tool's probe answered, so the run probes each tool once;
 * - TMPDIR: its tmp/ folder, so every temporary file of the tests and of the
 *   tools they run lives there, and whatever a test leaves behind goes with it.
 * The folder is in memory (/dev/shm) when that tmpfs has room to spare: the
 * tests create and remove tens of thousands of files (synth transactions,
 * copies of dist/, git repositories), about 5 s of system CPU on a disk.
 * A TMPDIR given by the caller is kept as the place for the folder.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

const MEMORY = '/dev/shm';
/** Room /dev/shm must have free (a container's default 64 MB is not enough). */
const MEMORY_NEEDED = 1024 ** 3;

function scratchParent() {
  if (process.env.TMPDIR) return os.tmpdir();
  try {
    const { bavail, bsize } = fs.statfsSync(MEMORY);
    fs.accessSync(MEMORY, fs.constants.W_OK);
    if (bavail * bsize >= MEMORY_NEEDED) return MEMORY;
  } catch {
    // no /dev/shm here
  }
  return os.tmpdir();
}

module.exports = async () => {
  const folder = fs.mkdtempSync(path.join(scratchParent(), 'odoo-finder-test-run-'));
  fs.mkdirSync(path.join(folder, 'tmp'));
  // As open as /tmp: programs the tests start under another user (nginx's workers) must reach their files.
  fs.chmodSync(folder, 0o755);
  fs.chmodSync(path.join(folder, 'tmp'), 0o1777);
  process.env.ODOO_FINDER_TEST_RUN = folder;
  // Given back by run-teardown.js (jest --watch starts the next run from the same process).
  process.env.ODOO_FINDER_TEST_OUTER_TMPDIR = process.env.TMPDIR ?? '';
  process.env.TMPDIR = path.join(folder, 'tmp');
};
