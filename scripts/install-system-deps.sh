#!/usr/bin/env bash
# Installs, from Debian's packages, the real services the test suite and the full sandbox stack use: nginx,
# PostgreSQL 15, Redis (+ sentinel), Prometheus and its exporters, Chromium (the report opened in a real
# browser); creates the system user `conecta` the stack runs as under root (PostgreSQL refuses root).
# Skips what is already there; needs root (as CI has). Services a package starts are stopped: the project
# starts its own, on its own ports, and stops them.
set -euo pipefail
# package:command-that-proves-it-is-installed
wanted=(
  nginx:/usr/sbin/nginx
  postgresql-15:/usr/lib/postgresql/15/bin/postgres
  redis-server:/usr/bin/redis-server
  redis-sentinel:/usr/bin/redis-sentinel
  prometheus:/usr/bin/prometheus
  prometheus:/usr/bin/promtool
  prometheus-postgres-exporter:/usr/bin/prometheus-postgres-exporter
  prometheus-redis-exporter:/usr/bin/prometheus-redis-exporter
  prometheus-nginx-exporter:/usr/bin/prometheus-nginx-exporter
  prometheus-node-exporter:/usr/bin/prometheus-node-exporter
  openssl:/usr/bin/openssl
  chromium:/usr/bin/chromium
)
need=()
for w in "${wanted[@]}"; do
  [ -x "${w#*:}" ] || need+=("${w%%:*}")
done
is_root() { [ "$(id -u)" -eq 0 ]; }
if [ ${#need[@]} -gt 0 ]; then
  if ! is_root; then
    echo "system deps: missing ${need[*]}; run as root or: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  echo "system deps: installing ${need[*]} from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  # Keep packages from starting their own services during install where policy-rc.d is honoured (no systemd).
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  echo "system deps: installed ${need[*]}"
else
  echo "system deps: all present"
fi
# Where systemd runs, the packages start their services anyway: stop them (tests start their own).
if command -v systemctl >/dev/null 2>&1; then
  for svc in nginx postgresql redis-server redis-sentinel prometheus prometheus-postgres-exporter \
    prometheus-redis-exporter prometheus-nginx-exporter prometheus-node-exporter; do
    if systemctl is-active --quiet "$svc" 2>/dev/null; then systemctl stop "$svc" || true; fi
  done
fi
if is_root && ! id conecta >/dev/null 2>&1; then
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin conecta
  echo "system deps: created system user conecta"
fi
