// Triton's health endpoints as Kubernetes probes. The startup probe holds
// the other two off while models load (a slow first load must not be killed
// by liveness); readiness takes the pod out of the Services' endpoints when
// Triton is not ready (models unloaded, shutting down); liveness restarts a
// server that stopped answering.
import type { IIoK8sApiCoreV1Probe } from 'kubernetes-models/v1/Probe';

export const healthPaths = { ready: '/v2/health/ready', live: '/v2/health/live' } as const;

const startupPeriodSeconds = 5;

export interface TritonProbes {
  readonly startupProbe: IIoK8sApiCoreV1Probe;
  readonly readinessProbe: IIoK8sApiCoreV1Probe;
  readonly livenessProbe: IIoK8sApiCoreV1Probe;
}

export function tritonProbes(startupSeconds: number): TritonProbes {
  const httpGet = (path: string) => ({ path, port: 'http', scheme: 'HTTP' as const });
  return {
    startupProbe: {
      httpGet: httpGet(healthPaths.ready),
      periodSeconds: startupPeriodSeconds,
      timeoutSeconds: 2,
      failureThreshold: Math.ceil(startupSeconds / startupPeriodSeconds),
    },
    readinessProbe: { httpGet: httpGet(healthPaths.ready), periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 2, successThreshold: 1 },
    livenessProbe: { httpGet: httpGet(healthPaths.live), periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
  };
}
