import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { ValidateFunction } from 'ajv';
import { EnvironmentSchema, EnvironmentSettings } from '../../config/schema';

/** Where compiled validators are kept between runs: node_modules/.cache, like other tools' caches. */
export const VALIDATOR_CACHE_DIR = path.join(path.dirname(require.resolve('ajv/package.json')), '..', '.cache', 'odoo-finder-deploy');

const AJV_OPTIONS = { allErrors: true, useDefaults: true, strict: true, verbose: true, code: { source: true } } as const;

/**
 * The ajv validator of environment files. Compiling the schema is a third of
 * a synth's own time, so the compiled code is kept in `node_modules/.cache/`
 * under a hash of the schema, the ajv options and version, and reused while
 * they are unchanged (ajv's standalone code: the same checks, defaults and errors).
 */
export function environmentValidator(cacheDir: string = VALIDATOR_CACHE_DIR): ValidateFunction<EnvironmentSettings> {
  const ajvVersion = (require('ajv/package.json') as { version: string }).version;
  const key = createHash('sha256').update(JSON.stringify([EnvironmentSchema, AJV_OPTIONS, ajvVersion])).digest('hex').slice(0, 16);
  const cached = path.join(cacheDir, `environment-${key}.js`);
  if (fs.existsSync(cached)) return require(cached) as ValidateFunction<EnvironmentSettings>;

  // Loaded only on a cache miss: ajv itself is a tenth of a synth's start-up.
  const { default: Ajv } = require('ajv') as typeof import('ajv');
  const { default: standaloneCode } = require('ajv/dist/standalone') as typeof import('ajv/dist/standalone');
  const ajv = new Ajv(AJV_OPTIONS);
  const validate = ajv.compile<EnvironmentSettings>(EnvironmentSchema);
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    const temporary = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, standaloneCode(ajv, validate));
    fs.renameSync(temporary, cached);
  } catch {
    // A read-only checkout only loses the speed-up.
  }
  return validate;
}
