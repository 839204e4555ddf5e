import { formatFinding } from './finding';
import { validateDist } from './validate';

const USAGE = `usage: npm run validate [-- --env NAME[,NAME...]] [--quiet]

Checks the YAML in dist/ (all folders by default; with --env, only those
environments) as the Kubernetes 1.28 API server, Pod Security "restricted",
kube-score/kube-linter style best practices, cross references and Prometheus
and Grafana checks would. Prints every finding; exits 1 on any error.
--quiet prints errors only. See docs/validate.md.`;

/** `npm run validate`: returns the exit code. */
export function main(argv: readonly string[], root = process.cwd()): number {
  let environments: string[] | undefined;
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      return 0;
    } else if (arg === '--quiet' || arg === '-q') {
      quiet = true;
    } else if (arg === '--env' || arg.startsWith('--env=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (!value) return usageError('--env needs a value');
      environments = [...(environments ?? []), ...value.split(',').filter(Boolean)];
    } else {
      return usageError(`unknown argument "${arg}"`);
    }
  }
  const started = process.hrtime.bigint();
  let report;
  try {
    report = validateDist(root, environments);
  } catch (e) {
    console.error(`validate failed: ${(e as Error).message}`);
    return 2;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const errors = report.findings.filter((f) => f.severity === 'error');
  const warnings = report.findings.filter((f) => f.severity === 'warning');
  for (const f of quiet ? errors : report.findings) console.log(formatFinding(f));
  console.log(
    `validate: ${report.files} files in dist/{${report.folders.join(',')}}: ${errors.length} error(s), ${warnings.length} warning(s) in ${ms.toFixed(0)} ms`,
  );
  return errors.length > 0 ? 1 : 0;
}

function usageError(message: string): number {
  console.error(`validate: ${message}\n${USAGE}`);
  return 2;
}
