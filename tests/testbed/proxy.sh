#!/usr/bin/env bash
# Start or stop one docker socket proxy instance (haproxy with tests/testbed/haproxy.cfg).
#
#   PROXY_BIND=127.0.0.1:23760 CONTAINERS=1 IMAGES=0 POST=1 tests/testbed/proxy.sh start /tmp/p1.pid
#   tests/testbed/proxy.sh stop /tmp/p1.pid
#   tests/testbed/proxy.sh status /tmp/p1.pid
#
# Only the variables haproxy.cfg knows are passed on (see README.md); unset ones take the
# config's defaults (PING/VERSION/EVENTS=1, everything else 0). The instance runs detached in its own
# session; its access log goes to PROXY_LOG (default: the pidfile path with .log instead of .pid).
# "start" is idempotent: an instance already running from this pidfile with the same settings is
# kept; with different settings it is restarted.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PROXY_VARS=(PROXY_BIND DOCKER_SOCKET_PATH PROXY_SERVER_TIMEOUT PROXY_CLIENT_TIMEOUT PROXY_TUNNEL_TIMEOUT
    PING VERSION EVENTS POST AUTH BUILD COMMIT CONFIGS CONTAINERS DISTRIBUTION EXEC IMAGES INFO
    NETWORKS NODES PLUGINS SECRETS SERVICES SESSION SWARM SYSTEM TASKS VOLUMES)

usage() { echo "usage: [VAR=value ...] $0 start|stop|status PIDFILE" >&2; exit 2; }

[ $# -eq 2 ] || usage
action="$1"
pidfile="$2"
case "$pidfile" in /*) ;; *) pidfile="$PWD/$pidfile" ;; esac
cfg="$TESTBED_DIR/haproxy.cfg"
haproxy_bin="$(command -v haproxy || true)"

proxy_env() {
    local v
    echo "PATH=/usr/sbin:/usr/bin:/sbin:/bin"
    for v in "${PROXY_VARS[@]}"; do
        if [ -n "${!v+x}" ]; then echo "$v=${!v}"; fi
    done
}

# Registry of pidfiles of started instances, so that down.sh can stop them all.
PROXY_LIST="$RUN_DIR/proxies"
register_pidfile() {   # add|remove
    mkdir -p "$RUN_DIR" 2>/dev/null || return 0
    (
        flock 9
        touch "$PROXY_LIST"
        grep -vxF -- "$pidfile" "$PROXY_LIST" >"$PROXY_LIST.tmp" || true
        [ "$1" = add ] && echo "$pidfile" >>"$PROXY_LIST.tmp"
        mv "$PROXY_LIST.tmp" "$PROXY_LIST"
    ) 9>>"$RUN_DIR/proxies.lock" 2>/dev/null || true
}

case "$action" in
stop)
    stop_by_pidfile "$pidfile" haproxy 10
    rm -f "$pidfile.settings"
    register_pidfile remove
    exit 0
    ;;
status)
    if pid_alive "$pidfile" haproxy; then echo "running (pid $(cat "$pidfile"))"; exit 0; fi
    echo "not running"; exit 1
    ;;
start) ;;
*) usage ;;
esac

[ -n "$haproxy_bin" ] || die "haproxy is not installed (run tests/testbed/up.sh first)"
command -v curl >/dev/null || die "curl is not installed (run tests/testbed/up.sh first)"
[ -f "$cfg" ] || die "missing $cfg"

mapfile -t envs < <(proxy_env)
bind="${PROXY_BIND:-$DEFAULT_PROXY_BIND}"
logfile="${PROXY_LOG:-${pidfile%.pid}.log}"
[ "$logfile" != "$pidfile" ] || logfile="$pidfile.log"
settings="$( { printf '%s\n' "${envs[@]}"; sha256sum < "$cfg"; } | sha256sum | cut -c1-64)"

mkdir -p "$(dirname "$pidfile")" "$(dirname "$logfile")"

if pid_alive "$pidfile" haproxy; then
    if [ "$(cat "$pidfile.settings" 2>/dev/null || true)" = "$settings" ] \
        && [ "$(http_code "http://$bind/_ping")" != "000" ]; then
        log "proxy on $bind already running (pid $(cat "$pidfile"))"
        exit 0
    fi
    log "proxy on $bind runs with other settings: restarting"
    stop_by_pidfile "$pidfile" haproxy 10
fi
rm -f "$pidfile" "$pidfile.settings"

# Fail loudly on a bad configuration or bad settings before detaching.
if ! check_out="$(env -i "${envs[@]}" "$haproxy_bin" -c -f "$cfg" 2>&1)"; then
    printf '%s\n' "$check_out" >&2
    die "haproxy rejected $cfg with settings: ${envs[*]}"
fi

if [ "$(http_code "http://$bind/_ping")" != "000" ]; then
    die "something else already answers on $bind"
fi

printf '==== %s start: %s\n' "$(date -Is)" "${envs[*]}" >>"$logfile"
pid="$(start_detached "$logfile" env -i "${envs[@]}" "$haproxy_bin" -db -f "$cfg")"
echo "$pid" >"$pidfile"
register_pidfile add

for ((i = 0; i < 100; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
        show_log_tail "$logfile"
        rm -f "$pidfile"
        die "haproxy for $bind exited during start"
    fi
    # Any HTTP answer (even 403 when PING=0) means the proxy is listening.
    if [ "$(http_code "http://$bind/_ping")" != "000" ]; then
        echo "$settings" >"$pidfile.settings"
        log "proxy on $bind started (pid $pid, log $logfile)"
        exit 0
    fi
    sleep 0.1
done
show_log_tail "$logfile"
stop_by_pidfile "$pidfile" haproxy 5
die "haproxy for $bind did not answer within 10s"
