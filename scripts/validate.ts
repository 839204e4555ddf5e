// Entry point of `npm run validate`: checks the committed YAML of dist/ offline.
import { main } from '../lib/validate/cli';

process.exitCode = main(process.argv.slice(2));
