// Entry point of `npm run checklist -- --env <name>` (see lib/checklist/cli.ts).
import { main } from '../lib/checklist/cli';

process.exitCode = main(process.argv.slice(2));
