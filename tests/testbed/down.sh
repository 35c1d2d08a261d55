#!/usr/bin/env bash
# Stop what tests/testbed/up.sh (and tests/testbed/proxy.sh) started: socket proxies, the
# registry, dockerd. Only processes named by the test bed's pidfiles are stopped; an engine that
# was already running before up.sh is left alone, and so are containers, images and state.
# Idempotent: exits 0 when nothing runs.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_root

# 1. Proxies: the default one and every instance proxy.sh registered.
pidfiles=("$RUN_DIR/proxy-2375.pid")
if [ -f "$RUN_DIR/proxies" ]; then
    while read -r f; do [ -n "$f" ] && pidfiles+=("$f"); done <"$RUN_DIR/proxies"
fi
for f in "${pidfiles[@]}"; do
    stop_by_pidfile "$f" haproxy 10
    rm -f "$f.settings"
done
rm -f "$RUN_DIR/proxies" "$RUN_DIR/proxies.tmp"

# 2. Registry.
stop_by_pidfile "$RUN_DIR/registry.pid" docker-registry 10

# 3. dockerd (it stops its own containerd; running containers are stopped by the engine).
if pid_alive "$RUN_DIR/dockerd.pid" dockerd; then
    stop_by_pidfile "$RUN_DIR/dockerd.pid" dockerd 60
else
    rm -f "$RUN_DIR/dockerd.pid"
    if engine_answers; then
        log "an engine answers on $ENGINE_SOCKET but was not started by the test bed: left running"
    fi
fi

log "test bed is down"
