#!/bin/bash
# The image's HEALTHCHECK: healthy while Triton answers 200 on
# /v2/health/ready (server up and every model ready). Plain bash (/dev/tcp)
# so the image needs no HTTP client. HEALTHCHECK_PORT: Triton's HTTP port.
set -euo pipefail
port=${HEALTHCHECK_PORT:-8000}
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /v2/health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 5 status <&3
[[ $status =~ ^HTTP/1\.[01]\ 200 ]]
