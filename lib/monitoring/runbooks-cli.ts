// `npm run docs`: writes docs/runbooks/ from the alert catalog; `npm run docs -- --check` only compares.
import * as fs from 'fs';
import * as path from 'path';
import { renderRunbooks, RUNBOOK_DIR } from './runbooks';

/** Differences between the committed runbooks and the generated ones (file names with what is wrong). */
export function runbookDrift(root: string): string[] {
  const dir = path.join(root, RUNBOOK_DIR);
  const wanted = renderRunbooks();
  const present = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.md')) : [];
  const drift: string[] = [];
  for (const [file, text] of wanted) {
    const p = path.join(dir, file);
    if (!fs.existsSync(p)) drift.push(`${RUNBOOK_DIR}/${file} is missing`);
    else if (fs.readFileSync(p, 'utf8') !== text) drift.push(`${RUNBOOK_DIR}/${file} differs from the generated text`);
  }
  for (const file of present) if (!wanted.has(file)) drift.push(`${RUNBOOK_DIR}/${file} names no alert of lib/monitoring/alerts.ts`);
  return drift.sort();
}

export function main(argv: readonly string[], root = process.cwd()): number {
  if (argv.includes('--check')) {
    const drift = runbookDrift(root);
    if (drift.length === 0) return 0;
    console.error(`docs: runbooks are out of date (run \`npm run docs\`):\n  ${drift.join('\n  ')}`);
    return 1;
  }
  const dir = path.join(root, RUNBOOK_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const wanted = renderRunbooks();
  for (const file of fs.readdirSync(dir)) if (file.endsWith('.md') && !wanted.has(file)) fs.rmSync(path.join(dir, file));
  for (const [file, text] of wanted) fs.writeFileSync(path.join(dir, file), text);
  console.log(`docs: wrote ${wanted.size} files to ${RUNBOOK_DIR}/`);
  return 0;
}
