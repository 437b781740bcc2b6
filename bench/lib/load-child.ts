// Runs one `stampede load` in this process (argv after the script), then prints its peak RSS for the benchmark.
import { main } from '../../src/cli/main.ts';

const code = await main(['load', ...process.argv.slice(2)]);
console.log(`PEAK_RSS_BYTES ${process.resourceUsage().maxRSS * 1024}`);
process.exitCode = code;
