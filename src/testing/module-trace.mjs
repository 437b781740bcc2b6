// Test helper, loaded with `node --import`: writes, at exit, every package the process imported (one per line on
// stderr, prefixed "LOADED "), so a test can tell which heavy libraries a command pulled in.
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const loaded = new Set();
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (match) loaded.add(match[1]);
});
port1.unref();
const hooks = `
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  port.postMessage(result.url);
  return result;
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { port: port2 }, transferList: [port2] });
process.on('exit', () => {
  for (const name of [...loaded].sort()) process.stderr.write(`LOADED ${name}\n`);
});
