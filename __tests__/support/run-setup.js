/**
 * jest globalSetup: a scratch folder for one `npm test` run, shared by its
 * workers through ODOO_FINDER_TEST_RUN (they inherit the environment) and
 * removed by run-teardown.js. tools-once.ts keeps there what each real tool's
 * probe answered, so the run probes each tool once.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async () => {
  process.env.ODOO_FINDER_TEST_RUN = fs.mkdtempSync(path.join(os.tmpdir(), 'odoo-finder-test-run-'));
};
