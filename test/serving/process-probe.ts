// What a process holds, read from /proc (Linux): resident memory, open file
// descriptors and threads. The lifecycle tests compare these over many model
// loads and unloads.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ProcessFootprint {
  readonly rssKiB: number;
  readonly fds: number;
  /** Descriptors that are not sockets: files, pipes, eventfds... (sockets follow the clients' connections). */
  readonly fdsNotSockets: number;
  readonly threads: number;
}

export function processFootprint(pid: number): ProcessFootprint {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (rss === null) throw new Error(`no VmRSS in /proc/${pid}/status`);
  const fds = readdirSync(`/proc/${pid}/fd`);
  let sockets = 0;
  for (const fd of fds) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) sockets += 1;
    } catch {
      // closed while we looked
    }
  }
  return {
    rssKiB: Number(rss[1]),
    fds: fds.length,
    fdsNotSockets: fds.length - sockets,
    threads: readdirSync(`/proc/${pid}/task`).length,
  };
}
