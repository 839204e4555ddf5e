// Runs after `cdk8s import` (npm run import): marks each generated file of
// imports/ `// @ts-nocheck`. tsc still reads their types where our code uses
// them, but no longer type-checks their 76 000 generated lines (as skipLibCheck
// does for a library's .d.ts): that was 3 s of the type check of npm test.
const fs = require('fs');
const path = require('path');

const HEADER = '// @ts-nocheck\n';
const folder = path.join(__dirname, '..', 'imports');
for (const file of fs.readdirSync(folder).filter((f) => f.endsWith('.ts'))) {
  const full = path.join(folder, file);
  const text = fs.readFileSync(full, 'utf8');
  if (!text.startsWith(HEADER)) fs.writeFileSync(full, HEADER + text);
}
