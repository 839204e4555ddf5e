// Entry point of `npm run synth` and `cdk8s synth`: config/environments/*.yaml in, dist/<env>/*.yaml out.
import { main } from './lib/synth/cli';

process.exitCode = main(process.argv.slice(2));
