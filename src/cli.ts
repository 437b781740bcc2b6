// Entry point of the `stampede` command: parse the arguments, run the command, exit with its code.

import { main, reportInternalError } from './cli/main.ts';

// An error escaping every command (a timer's callback, a stray rejection): one line, exit 70, never a stack trace.
const fatal = (error: unknown) => process.exit(reportInternalError(error));
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

process.exitCode = await main(process.argv.slice(2));
