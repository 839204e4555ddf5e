#!/usr/bin/env node
// Runs a TypeScript entry point of this project (`main.ts`, `scripts/<command>.ts`) the fast way:
//
//   node scripts/run.js main.ts [args...]            npm run synth (and cdk8s synth, see cdk8s.yaml)
//   node scripts/run.js scripts/validate.ts [args...] the other npm commands
//   node scripts/run.js --build main.ts                bundle only (npm run build)
//
// 1. One esbuild bundle per entry point in .build/<name>.js, with the dependencies in it (one file to
//    load instead of hundreds), rebuilt only when a file it was built from changed (esbuild records
//    its inputs; their size and mtime are kept beside the bundle).
// 2. The bundle runs in this process (no second node start), with V8's code cache: the functions
//    compiled by the first run are kept in .build/<name>.js.v8-cache and reused while the bundle is
//    unchanged (node 22 has module.enableCompileCache() for this; node 20 does not).
//
// Plain JavaScript on purpose: it runs before anything is compiled. `npm run bench` measures it.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Module = require('module');

const ROOT = path.resolve(__dirname, '..');
const BUILD_DIR = path.join(ROOT, '.build');

/** Kept out of the bundle: the environment validator resolves ajv's folder and loads ajv only on a cache miss (lib/config/validator.ts). */
const EXTERNAL = ['ajv'];

/**
 * Esbuild options: the bundle depends on these, the runner itself, esbuild's version and the installed packages,
 * so they make the key that invalidates a bundle.
 */
const OPTIONS = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: EXTERNAL, logLevel: 'warning', metafile: true };

/**
 * Only `k8s` (the generated Kubernetes API classes) of cdk8s-plus-28 is used. Its index also loads the L2
 * constructs: 3.4 MB of JavaScript, the largest part of a synth's start-up. Any other import from the
 * package fails the build ("No matching export"), so this cannot silently change what is bundled.
 */
const K8S_ONLY = {
  name: 'cdk8s-plus-28-k8s-only',
  setup(build) {
    build.onResolve({ filter: /^cdk8s-plus-28$/ }, () => ({ path: 'cdk8s-plus-28', namespace: 'k8s-only' }));
    build.onLoad({ filter: /.*/, namespace: 'k8s-only' }, () => ({
      contents: "export * as k8s from 'cdk8s-plus-28/lib/imports/k8s';",
      resolveDir: ROOT,
      loader: 'ts',
    }));
  },
};

/** cdk8s ships its own copy of yaml; when it is the same version as ours, bundle one copy. */
const ONE_YAML = {
  name: 'one-yaml',
  setup(build) {
    const ours = require.resolve('yaml', { paths: [ROOT] });
    const version = (file) => JSON.parse(fs.readFileSync(file, 'utf8')).version;
    build.onResolve({ filter: /^yaml$/ }, (args) => {
      const theirs = safeResolve('yaml', args.resolveDir);
      if (!theirs || theirs === ours) return undefined;
      const same = version(packageJsonOf(theirs)) === version(packageJsonOf(ours));
      return same ? { path: ours } : undefined;
    });
  },
};

function safeResolve(request, from) {
  try {
    return require.resolve(request, { paths: [from] });
  } catch {
    return undefined;
  }
}

function packageJsonOf(file) {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'package.json');
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${file}`);
  }
}

/** What a bundle depends on besides its inputs. */
function bundleKey(entry) {
  const esbuildVersion = require('esbuild/package.json').version;
  const installed = statOf(path.join(ROOT, 'node_modules', '.package-lock.json'));
  const runner = fs.readFileSync(__filename, 'utf8');
  return crypto.createHash('sha256').update(JSON.stringify([entry, OPTIONS, esbuildVersion, installed, runner])).digest('hex');
}

function statOf(file) {
  try {
    const s = fs.statSync(file);
    return [s.mtimeMs, s.size];
  } catch {
    return null;
  }
}

/** The bundle is fresh when its key matches and none of its input files changed since it was built. */
function isFresh(paths, key) {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(paths.stamp, 'utf8'));
  } catch {
    return false;
  }
  if (stamp.key !== key || !fs.existsSync(paths.bundle)) return false;
  return Object.entries(stamp.inputs).every(([file, recorded]) => {
    const now = statOf(path.resolve(ROOT, file));
    return recorded !== null && now !== null && now[0] === recorded[0] && now[1] === recorded[1];
  });
}

/**
 * Whether an input may have been saved while esbuild read it (its mtime at or after the build's start): its stat
 * then describes the new text, the bundle the old one, so it is recorded as unknown and the next run builds
 * again. The margin: Linux stamps files with a coarse clock that may lag Date.now() by a few milliseconds, and
 * some file systems keep whole seconds.
 */
function savedDuringBuild(mtimeMs, started) {
  return mtimeMs >= started - (mtimeMs % 1000 === 0 ? 1000 : 50);
}

async function bundle(entry, paths, key) {
  const esbuild = require('esbuild');
  const temporary = `${paths.bundle}.${process.pid}.tmp`;
  const started = Date.now();
  const result = await esbuild.build({ ...OPTIONS, absWorkingDir: ROOT, entryPoints: [entry], outfile: temporary, plugins: [K8S_ONLY, ONE_YAML] });
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) {
    if (file.includes(':')) continue; // virtual modules of the plugins (namespace:path)
    const stat = statOf(path.resolve(ROOT, file));
    inputs[file] = stat !== null && savedDuringBuild(stat[0], started) ? null : stat;
  }
  fs.renameSync(temporary, paths.bundle);
  writeAtomically(paths.stamp, JSON.stringify({ key, inputs }));
}

function writeAtomically(file, content) {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, file);
}

/**
 * Which bundle file a code cache belongs to, written at the head of the cache: a bundle is renamed into place, so
 * every build is a new inode. V8 checks only the source's length, and a run that started before a rebuild writes
 * the cache of the old bundle at its exit: without this, the next run of a new bundle of the same length would
 * run the old code.
 */
function identityOf(stat) {
  return Buffer.from(`${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}\n`);
}

/** Runs the bundle as the main module would run, with process.argv as if `node <bundle> args...`. */
function run(paths, args) {
  process.argv = [process.argv[0], paths.bundle, ...args];
  const fd = fs.openSync(paths.bundle, 'r');
  let source;
  let identity;
  try {
    identity = identityOf(fs.fstatSync(fd));
    source = fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
  let cachedData;
  try {
    const cache = fs.readFileSync(paths.codeCache);
    if (cache.subarray(0, identity.length).equals(identity)) cachedData = cache.subarray(identity.length);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: paths.bundle, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    // At exit the cache also holds the functions this run compiled, which is what makes it worth having.
    process.once('exit', (code) => {
      if (code !== 0) return;
      try {
        writeAtomically(paths.codeCache, Buffer.concat([identity, script.createCachedData()]));
      } catch {
        // A read-only checkout only loses the speed-up.
      }
    });
  }
  const module = { exports: {}, filename: paths.bundle, id: '.' };
  script.runInThisContext()(module.exports, Module.createRequire(paths.bundle), module, paths.bundle, path.dirname(paths.bundle));
}

async function main(argv) {
  const buildOnly = argv[0] === '--build';
  const [entry, ...args] = buildOnly ? argv.slice(1) : argv;
  if (!entry || !entry.endsWith('.ts') || !fs.existsSync(path.resolve(ROOT, entry))) {
    console.error(`usage: node scripts/run.js [--build] <entry point.ts> [args...]${entry ? `\nno such entry point: ${entry}` : ''}`);
    process.exitCode = 2;
    return;
  }
  const name = path.basename(entry, '.ts');
  const paths = {
    bundle: path.join(BUILD_DIR, `${name}.js`),
    stamp: path.join(BUILD_DIR, `${name}.inputs.json`),
    codeCache: path.join(BUILD_DIR, `${name}.js.v8-cache`),
  };
  const key = bundleKey(entry);
  if (buildOnly || !isFresh(paths, key)) {
    fs.mkdirSync(BUILD_DIR, { recursive: true });
    try {
      await bundle(entry, paths, key);
    } catch {
      process.exitCode = 1; // esbuild has printed the errors
      return;
    }
  }
  if (!buildOnly) run(paths, args);
}

main(process.argv.slice(2));
