// Starts the real tritonserver (from the nvidia-pytriton wheel in .venv) on
// free loopback ports, waits for /v2/health/ready, and ends it by PID.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const python = path.join(repoRoot, '.venv/bin/python');

export interface TritonPorts {
  http: number;
  grpc: number;
  metrics: number;
}

export interface RunningTriton {
  ports: TritonPorts;
  process: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

/** A loopback listener on a port the kernel chose; `port` is that port. */
export function listenOnAnyPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address !== null ? address.port : 0 });
    });
  });
}

async function freePort(): Promise<number> {
  const { server, port } = await listenOnAnyPort();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function tritonInstallDir(): string {
  const code = 'import pytriton, os; print(os.path.join(os.path.dirname(pytriton.__file__), "tritonserver"))';
  return execFileSync(python, ['-c', code], { encoding: 'utf8' }).trim();
}

async function waitReady(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tritonserver exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v2/health/ready`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`tritonserver not ready after ${timeoutMs} ms`);
}

// The server's last error line (Triton's "E<date> ... file:line] message",
// or "error: ..." before logging starts): why it did not become ready.
function lastErrorLine(logFile: string): string | undefined {
  const lines = readFileSync(logFile, 'utf8').split('\n');
  return lines.reverse().find((line) => /^(E\d{4} |error: )/.test(line))?.trim();
}

/**
 * Starts tritonserver on free ports. A port found free can be taken by
 * another socket before the server binds it (it binds after loading its
 * models): then the server exits saying so, and it is started again on
 * other ports, up to three times.
 */
export async function startTriton(
  modelRepository: string,
  extraArgs: string[] = [],
  env: Readonly<Record<string, string>> = {},
  choosePorts: () => Promise<TritonPorts> = freePorts,
): Promise<RunningTriton> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startTritonOnce(modelRepository, extraArgs, env, await choosePorts());
    } catch (error) {
      if (attempt === 3 || !(error instanceof PortTakenError)) throw error;
    }
  }
}

/** Three ports the kernel gave as free a moment ago. */
export async function freePorts(): Promise<TritonPorts> {
  return { http: await freePort(), grpc: await freePort(), metrics: await freePort() };
}

class PortTakenError extends Error {}

async function startTritonOnce(
  modelRepository: string,
  extraArgs: string[],
  env: Readonly<Record<string, string>>,
  ports: TritonPorts,
): Promise<RunningTriton> {
  const dir = tritonInstallDir();
  const logDir = path.join(repoRoot, 'build/logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `tritonserver-${ports.http}.log`);
  // The server writes its log file itself: a pipe through this process would
  // stop draining while a test runs a synchronous check, and a full pipe
  // blocks the server.
  const log = openSync(logFile, 'w');
  // FASTERBERT_TRITON_WRAPPER: a program that runs the server command it is
  // given, e.g. with the ASan runtime preloaded (scripts/asan/tritonserver.sh).
  const wrapper = process.env['FASTERBERT_TRITON_WRAPPER'];
  const server = path.join(dir, 'bin/tritonserver');
  const child = spawn(
    wrapper === undefined || wrapper === '' ? server : wrapper,
    [
      ...(wrapper === undefined || wrapper === '' ? [] : [server]),
      `--model-repository=${modelRepository}`,
      `--backend-directory=${path.join(dir, 'backends')}`,
      '--http-address=127.0.0.1',
      '--grpc-address=127.0.0.1',
      '--metrics-address=127.0.0.1',
      `--http-port=${ports.http}`,
      `--grpc-port=${ports.grpc}`,
      `--metrics-port=${ports.metrics}`,
      '--exit-timeout-secs=5',
      ...extraArgs,
    ],
    { stdio: ['ignore', log, log], env: { ...process.env, ...env } },
  );
  closeSync(log);  // the child has its own copy
  const terminate = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitReady(ports.http, child, 60_000);
  } catch (error) {
    await terminate();
    const why = lastErrorLine(logFile);
    const message = `${(error as Error).message}${why === undefined ? '' : `: ${why}`}; see ${logFile}`;
    throw why?.includes('already in use') ? new PortTakenError(message) : new Error(message);
  }
  // A server that ended before the test stopped it crashed or was killed:
  // stopping it fails the test file with how it ended and its last error
  // line, which the tests that failed against it cannot tell.
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) return terminate();
    const how = child.signalCode === null ? `exit code ${child.exitCode}` : `signal ${child.signalCode}`;
    const why = lastErrorLine(logFile);
    throw new Error(`tritonserver ended (${how}) before the test stopped it${why === undefined ? '' : `: ${why}`}; see ${logFile}`);
  };
  return { ports, process: child, logFile, stop };
}
