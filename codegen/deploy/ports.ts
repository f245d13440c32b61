// tritonserver's ports in the container (Triton's defaults, which the CPU
// image keeps): every manifest names them the same way.
export const ports = { http: 8000, grpc: 8001, metrics: 8002 } as const;
