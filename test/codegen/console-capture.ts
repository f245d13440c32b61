// What the code under test writes to stdout and stderr, per test: the CLI
// tests read it instead of letting it reach vitest's output.
import { afterEach, beforeEach, vi } from 'vitest';

export interface CapturedConsole {
  stdout: string;
  stderr: string;
  /** Both streams, in the order written. */
  all: string;
}

/** Call at the top of a test file: the returned object fills during each test. */
export function captureConsole(): Readonly<CapturedConsole> {
  const captured: CapturedConsole = { stdout: '', stderr: '', all: '' };
  beforeEach(() => {
    captured.stdout = '';
    captured.stderr = '';
    captured.all = '';
    for (const stream of ['stdout', 'stderr'] as const) {
      vi.spyOn(process[stream], 'write').mockImplementation((chunk: string | Uint8Array) => {
        captured[stream] += String(chunk);
        captured.all += String(chunk);
        return true;
      });
    }
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return captured;
}
