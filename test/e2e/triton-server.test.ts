// The test helper that starts the real tritonserver: a port taken between
// choosing it and the server binding it costs a restart on other ports, not
// the test file; any other failure to start is reported with the server's
// own error line; a server that ended on its own fails its stop().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePorts, listenOnAnyPort, startTriton, type TritonPorts } from './triton-server.js';

const emptyRepository = mkdtempSync(path.join(tmpdir(), 'faster-bert-empty-repo-'));
afterAll(() => rmSync(emptyRepository, { recursive: true, force: true }));

describe('startTriton', () => {
  it('starts again on other ports when one it chose was taken before the server bound it', async () => {
    const { server: squatter, port: taken } = await listenOnAnyPort();
    const chosen: TritonPorts[] = [];
    const choosePorts = async (): Promise<TritonPorts> => {
      const ports = chosen.length === 0 ? { ...(await freePorts()), grpc: taken } : await freePorts();
      chosen.push(ports);
      return ports;
    };
    try {
      const server = await startTriton(emptyRepository, [], {}, choosePorts);
      await server.stop();
      expect(chosen).toHaveLength(2);
      expect(server.ports).toEqual(chosen[1]);
    } finally {
      squatter.close();
    }
  });

  it('fails stop() when the server ended before it, saying how', async () => {
    const server = await startTriton(emptyRepository);
    const ended = new Promise((resolve) => server.process.once('exit', resolve));
    // As a crash would end it (SIGKILL: unlike SIGSEGV, it never writes a core file).
    server.process.kill('SIGKILL');
    await ended;
    await expect(server.stop()).rejects.toThrow(/tritonserver ended \(signal SIGKILL\) before the test stopped it/);
  });

  it('reports why the server did not start, from its log', async () => {
    const missing = path.join(emptyRepository, 'no-such-repository');
    await expect(startTriton(missing)).rejects.toThrow(/exited with code 1: error: .*failed to stat file/);
  });
});
