#!/usr/bin/env bash
# Installs Debian's haproxy (2.6 on Debian 12) when it is missing; does
# nothing when it is there. The package's own service is not used: the test
# starts its own haproxy process on loopback ports.
set -euo pipefail
if ! command -v haproxy >/dev/null 2>&1 && [ ! -x /usr/sbin/haproxy ]; then
  sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  echo "[scale-out] apt-get install haproxy"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq haproxy >/dev/null
fi
PATH=$PATH:/usr/sbin haproxy -v | sed -n 1p
