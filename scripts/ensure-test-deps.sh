#!/usr/bin/env bash
# Installs the system programs the test suite drives for real (Redis for multi-process Socket.IO,
# Chromium for browser tests) when they are missing. Safe to run repeatedly; a no-op once installed.
set -euo pipefail

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "Tests need: ${missing[*]}. Install them (apt-get install -y ${missing[*]}) or run as root." >&2
  exit 1
fi
echo "Installing test dependencies: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The package starts a system Redis on 6379; tests start their own on free ports.
if command -v service >/dev/null 2>&1; then service redis-server stop >/dev/null 2>&1 || true; fi
