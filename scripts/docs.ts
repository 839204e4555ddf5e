// Entry point of `npm run docs` (see lib/monitoring/runbooks-cli.ts).
import { main } from '../lib/monitoring/runbooks-cli';

process.exitCode = main(process.argv.slice(2));
