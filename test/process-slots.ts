// Child processes run at most `slots` at a time, the others waiting their
// turn: on the 2-core test machine two single-threaded checks (a libFuzzer
// target, a Python parity script) go side by side, each on its own core.
import { spawn } from 'node:child_process';

export interface ProcessRun {
  readonly status: number | null;
  /** stdout then stderr, for failure messages and summary lines. */
  readonly output: string;
}

export interface SlotRunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Killed after this long in its slot (status null). */
  readonly timeoutMs: number;
}

export class ProcessSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly slots: number) {}

  async run(command: string, args: readonly string[], options: SlotRunOptions): Promise<ProcessRun> {
    await this.take();
    try {
      return await runToEnd(command, args, options);
    } finally {
      this.release();
    }
  }

  private async take(): Promise<void> {
    if (this.running < this.slots) {
      this.running += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next(); // the slot passes on
    else this.running -= 1;
  }
}

function runToEnd(command: string, args: readonly string[], options: SlotRunOptions): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeoutMs });
    let stdout = '';
    let stderr = '';
    // Decoded as a stream: a UTF-8 char split between two chunks stays whole.
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => reject(new Error(`could not run ${command}: ${error.message}`)));
    child.on('close', (status) => resolve({ status, output: `${stdout}\n${stderr}` }));
  });
}
