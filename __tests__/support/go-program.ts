import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** Debian installs the Go sources of golang-*-dev packages here; GOPATH mode builds from them offline. */
const GOPATH = '/usr/share/gocode';
const DPKG_STATUS = '/var/lib/dpkg/status';

/**
 * Builds a one-file Go program of the tests (GOPATH mode, offline, from
 * Debian's Go sources) once: the binary is kept under a hash of the program,
 * the library `sources` it depends on and the Go version, so every test file
 * of a run (and the next runs) reuse it. A package installed or upgraded
 * builds it again.
 */
export function buildGoProgram(go: string, name: string, source: string, sources: readonly string[]): string {
  const hash = crypto.createHash('sha256');
  hash.update(fs.readFileSync(source));
  for (const f of sources) hash.update(fs.readFileSync(f));
  hash.update(execFileSync(go, ['version']));
  // The program is also built from what those sources import (sprig's own dependencies, go-yaml's other
  // files): any Debian package installed or upgraded since changes dpkg's status file.
  const dpkg = fs.statSync(DPKG_STATUS, { throwIfNoEntry: false });
  if (dpkg) hash.update(`${dpkg.mtimeMs}:${dpkg.size}`);
  // Kept between runs beside the other tools' caches (a test run's TMPDIR is removed at its end, run-setup.js).
  const dir = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'odoo-finder-deploy', name);
  const binary = path.join(dir, `${name}-${hash.digest('hex').slice(0, 16)}`);
  if (fs.existsSync(binary)) return binary;
  fs.mkdirSync(dir, { recursive: true });
  // Several jest workers may build at once: each writes its own file, the rename is atomic.
  const partial = `${binary}.${process.pid}.partial`;
  execFileSync(go, ['build', '-o', partial, source], {
    env: { ...process.env, GOPATH, GO111MODULE: 'off', GOFLAGS: '', GOCACHE: path.join(dir, 'go-cache'), CGO_ENABLED: '0' },
    stdio: 'pipe',
    timeout: 300_000,
  });
  fs.renameSync(partial, binary);
  return binary;
}
