/**
 * What `cdk8s-plus-28` is to the tests (jest.config.js moduleNameMapper), as to
 * npm run synth's bundle (scripts/run.js K8S_ONLY): its `k8s` part only. The
 * package's index also loads its L2 constructs, 3.4 MB of JavaScript that every
 * test file would evaluate again. Any other import from the package is undefined
 * here and fails tsc's type check no differently than before.
 */
exports.k8s = require('cdk8s-plus-28/lib/imports/k8s');
