// Starts a benchmark server script in its own process (optionally pinned to a CPU) and waits for its URL.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export interface SpawnedServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

// tsx's loader inside the server's own node process: the tsx CLI would add a wrapper process that outlives a kill.
const TSX_LOADER = import.meta.resolve('tsx');
const HAS_TASKSET = spawnSync('taskset', ['--version']).status === 0;

/** Run `script` (a .ts file printing `LISTENING <url>`); with `cpu`, pin it there so it does not share the load generator's core. */
export function spawnServer(script: string, options: { cpu?: number; env?: Record<string, string> } = {}): Promise<SpawnedServer> {
  const command = options.cpu !== undefined && HAS_TASKSET ? 'taskset' : process.execPath;
  const nodeArgs = ['--import', TSX_LOADER, script];
  const args = options.cpu !== undefined && HAS_TASKSET ? ['-c', String(options.cpu), process.execPath, ...nodeArgs] : nodeArgs;
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...options.env } });
  return new Promise((resolve, reject) => {
    let output = '';
    const safety = setTimeout(() => {
      child.kill();
      reject(new Error(`${script} did not start within 20 s: ${output}`));
    }, 20_000);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}: ${output}`)));
    child.stdout!.setEncoding('utf8').on('data', (text: string) => {
      output += text;
      const url = /LISTENING (\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(safety);
        child.removeAllListeners('exit');
        resolve({
          url,
          child,
          stop: () => new Promise((done) => {
            child.once('exit', () => done());
            child.kill('SIGKILL');
          }),
        });
      }
    });
  });
}

/** Pin this process to a CPU (Linux taskset), so load generator and server each get their own core. */
export function pinSelf(cpu: number): boolean {
  return HAS_TASKSET && spawnSync('taskset', ['-cp', String(cpu), String(process.pid)]).status === 0;
}
