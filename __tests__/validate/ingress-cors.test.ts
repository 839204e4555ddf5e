import * as fs from 'fs';
import * as path from 'path';
import { validateFolder } from '../../lib/validate/validate';
import { after, schemaStore } from './fixtures';

const FIXTURE = path.join(__dirname, 'fixtures', 'before-issue-8-network');
const only = (rule: string, findings: string[]) => findings.filter((f) => f.startsWith(`${rule} `));

describe('ingress-cors-credentials: ingress-nginx allows credentials unless told otherwise', () => {
  const cors = (extra: Record<string, string>) => only('ingress-cors-credentials', after(({ byKind }) => {
    byKind('Ingress').metadata.annotations = { 'nginx.ingress.kubernetes.io/enable-cors': 'true', 'nginx.ingress.kubernetes.io/cors-allow-origin': 'https://example.com', ...extra };
  }));

  it('warns when CORS is on and cors-allow-credentials is left out', () => {
    expect(cors({})).toEqual([
      'ingress-cors-credentials Ingress/shop/api metadata.annotations["nginx.ingress.kubernetes.io/enable-cors"]: warning: CORS is on and nginx.ingress.kubernetes.io/cors-allow-credentials is not set, so ingress-nginx lets browsers send cookies and credentials cross-origin: set it to "false" unless the API needs them',
    ]);
    expect(cors({ 'nginx.ingress.kubernetes.io/cors-allow-credentials': 'false' })).toEqual([]);
    expect(cors({ 'nginx.ingress.kubernetes.io/cors-allow-credentials': 'true' })).toEqual([]);
  });

  it('flags the committed dist/staging/ of before the fix', () => {
    const text = fs.readFileSync(path.join(FIXTURE, 'ingress-ai-odoo-finder.yaml'), 'utf8');
    const findings = validateFolder(schemaStore(), 'staging', [{ file: 'dist/staging/ingress-ai-odoo-finder.yaml', text }], false);
    expect(findings.filter((f) => f.rule === 'ingress-cors-credentials').map((f) => f.severity)).toEqual(['warning']);
  });
});
