import Ajv from 'ajv';
import { parseQuantity } from '../../config/quantity';

/**
 * An ajv instance that knows the OpenAPI formats and Kubernetes keywords of the
 * vendored schemas. `strict: false` because those schemas carry `x-kubernetes-*`
 * annotations ajv does not need.
 */
export function createAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    verbose: true,
    validateFormats: true,
    // The vendored schemas are trusted; checking them against the meta-schema costs 0.1 s a run.
    validateSchema: false,
    // Shared definitions (PodSpec, ObjectMeta) compile once for all the kinds that use them.
    inlineRefs: false,
    // Without optimization the large CRD schemas compile about 3 times faster; validating a few objects stays instant.
    code: { regExp: goRegExp, optimize: false },
  });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  ajv.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/);
  addValueKeyword(ajv, 'x-quantity', (v) =>
    typeof v === 'number' || (typeof v === 'string' && parseQuantity(v) !== undefined)
      ? undefined
      : `${JSON.stringify(v)} is not a Kubernetes quantity (such as 250m, 0.5, 512Mi or 1Gi)`,
  );
  addValueKeyword(ajv, 'x-int-or-string', (v) =>
    Number.isInteger(v) || typeof v === 'string' ? undefined : `must be an integer or a string, not ${JSON.stringify(v)}`,
  );
  return ajv;
}

/** A keyword `{ [keyword]: true }` whose check returns an error message, or undefined when the value is fine. */
function addValueKeyword(ajv: Ajv, keyword: string, check: (value: unknown) => string | undefined): void {
  // ajv fills in instancePath and schemaPath of the errors a `validate` keyword leaves on itself.
  const validate = (_schema: unknown, data: unknown): boolean => {
    const message = check(data);
    (validate as { errors?: unknown }).errors = message ? [{ keyword, message, params: {} }] : null;
    return message === undefined;
  };
  ajv.addKeyword({ keyword, schemaType: 'boolean', errors: true, validate });
}

/**
 * CRD patterns are Go (RE2) regular expressions. The one construct they use
 * that JavaScript lacks is the inline flag `(?i)`; it becomes the `i` flag of
 * the whole pattern, which may accept more than Go would but never less.
 */
function goRegExp(pattern: string, flags: string): RegExp {
  if (!pattern.includes('(?i)')) return new RegExp(pattern, flags);
  return new RegExp(pattern.replace(/\(\?i\)/g, ''), `${flags}i`);
}
goRegExp.code = 'new RegExp';
