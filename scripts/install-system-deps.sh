#!/usr/bin/env bash
# Installs, from Debian's packages, the real services the test suite uses: Prometheus (collector tests) and
# Chromium (the report opened in a real browser). Skips what is already there; needs root (as CI has).
set -euo pipefail
need=()
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -eq 0 ]; then
  echo "system deps: prometheus and chromium present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "system deps: missing ${need[*]}; run as root or: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "system deps: installing ${need[*]} from Debian's packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# The Debian package starts a Prometheus service where systemd runs; tests start their own, so stop it.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then
  systemctl stop prometheus || true
fi
echo "system deps: installed ${need[*]}"
