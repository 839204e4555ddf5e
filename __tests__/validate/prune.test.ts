import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { ROOT } from '../support/env';
import { createAjv } from '../../lib/validate/schema/ajv';
import { translateErrors } from '../../lib/validate/schema/errors';
import { OBJECT_META_REF, prepareCrdSchema } from '../../lib/validate/schema/prepare';
import { pruneSchema } from '../../lib/validate/schema/prune';

/** The whole CRD schema, compiled the slow way, as the reference. */
function fullSchemaProblems(crdFile: string, object: object): string[] {
  const crd = parse(fs.readFileSync(path.join(ROOT, 'schemas', 'crds', crdFile), 'utf8'));
  const ajv = createAjv();
  ajv.addSchema({ $id: OBJECT_META_REF.split('#')[0], definitions: { [OBJECT_META_REF.split('/').pop() as string]: { type: 'object' } } });
  const schema = prepareCrdSchema(crd.spec.versions[0].schema.openAPIV3Schema);
  const problems = (validate: ReturnType<typeof ajv.compile>) =>
    validate(object) ? [] : translateErrors(validate.errors ?? [], object).map((p) => `${p.path.join('.')}: ${p.message}`).sort();
  const full = problems(ajv.compile(schema));
  const pruned = problems(ajv.compile(pruneSchema(schema, [object])));
  expect(pruned).toEqual(full);
  return full;
}

describe('schemas pruned to what an object uses', () => {
  it('find exactly what the whole CRD schema finds: unknown fields, missing required fields, wrong types', () => {
    const config = {
      apiVersion: 'monitoring.coreos.com/v1alpha1',
      kind: 'AlertmanagerConfig',
      metadata: { name: 'x' },
      spec: {
        route: { receiver: 'team', groupWait: 30, routes: [{ receiver: 'team', anything: true }] }, // nested routes preserve unknown fields
        receivers: [{ name: 'team', slackConfigs: [{ chanel: '#alerts', sendResolved: 'yes' }] }, { webhookConfigs: [{ url: 'https://x' }] }],
      },
    };
    expect(fullSchemaProblems('monitoring.coreos.com_alertmanagerconfigs.yaml', config)).toEqual([
      'spec.receivers.0.slackConfigs.0.chanel: unknown field "chanel" (did you mean "channel"?)',
      'spec.receivers.0.slackConfigs.0.sendResolved: must be boolean, not string "yes"',
      'spec.receivers.1: missing required field "name"',
      'spec.route.groupWait: must be string, not number 30',
    ]);
  });

  it('keep unknown fields allowed under x-kubernetes-preserve-unknown-fields', () => {
    const app = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'x' },
      spec: { project: 'p', destination: {}, source: { repoURL: 'r', helm: { valuesObject: { any: { thing: [1] } }, valueFile: 'x' } } },
    };
    expect(fullSchemaProblems('argoproj.io_application.yaml', app)).toEqual(['spec.source.helm.valueFile: unknown field "valueFile" (did you mean "valueFiles"?)']);
  });
});
