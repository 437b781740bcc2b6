// Entry point of the `stampede` command: parse the arguments, run the command, exit with its code.

import { main } from './cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
