/** jest globalTeardown: removes the run's scratch folder (run-setup.js). */
const fs = require('fs');

module.exports = async () => {
  const folder = process.env.ODOO_FINDER_TEST_RUN;
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
};
