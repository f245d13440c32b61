// The container's arguments. The CPU image's entrypoint is tritonserver (its
// model repository at /models); these args restate the ports the manifests
// probe and expose, and set the exit timeout that graceful termination is
// sized against.
import { imageModelRepository, type DeployOptions } from './options.js';
import { ports } from './ports.js';

export function tritonserverArgs(options: DeployOptions, modelRepository: string = imageModelRepository): string[] {
  return [
    `--model-repository=${modelRepository}`,
    `--http-port=${ports.http}`,
    `--grpc-port=${ports.grpc}`,
    `--metrics-port=${ports.metrics}`,
    // On SIGTERM Triton stops taking new requests and waits this long for in-flight ones.
    `--exit-timeout-secs=${options.termination.exitTimeoutSeconds}`,
    // Readiness is the real signal for traffic: a pod whose model failed to load must not pass /v2/health/ready.
    '--strict-readiness=true',
  ];
}

/** The exit timeout the container will actually use: the `--exit-timeout-secs` of custom args when they set one. */
export function effectiveExitTimeoutSeconds(options: DeployOptions): number {
  const args = options.args ?? [];
  for (const [index, arg] of args.entries()) {
    const joined = /^--exit-timeout-secs=(\d+)$/.exec(arg)?.[1];
    if (joined !== undefined) return Number(joined);
    const next = args[index + 1];
    if (arg === '--exit-timeout-secs' && next !== undefined && /^\d+$/.test(next)) return Number(next);
  }
  return options.termination.exitTimeoutSeconds;
}

/** Seconds from deletion to SIGKILL: the drain, then Triton's exit timeout, plus a margin for process exit. */
export function terminationGracePeriodSeconds(options: DeployOptions): number {
  return options.termination.drainSeconds + effectiveExitTimeoutSeconds(options) + 5;
}
