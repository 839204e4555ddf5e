/** jest globalTeardown: removes the run's scratch folder and gives TMPDIR back (run-setup.js). */
const fs = require('fs');

module.exports = async () => {
  const folder = process.env.ODOO_FINDER_TEST_RUN;
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
  const outer = process.env.ODOO_FINDER_TEST_OUTER_TMPDIR;
  if (outer) process.env.TMPDIR = outer;
  else delete process.env.TMPDIR;
  delete process.env.ODOO_FINDER_TEST_RUN;
  delete process.env.ODOO_FINDER_TEST_OUTER_TMPDIR;
};
