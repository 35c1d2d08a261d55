# Shared helpers for the SandboxRunner engine test bed. Sourced by up.sh, down.sh and proxy.sh.
# shellcheck shell=bash

TESTBED_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE_DIR="${TESTBED_STATE_DIR:-/var/lib/sandboxrunner-testbed}"
LOG_DIR="${TESTBED_LOG_DIR:-/var/log/sandboxrunner-testbed}"
RUN_DIR="$STATE_DIR/run"

ENGINE_SOCKET="/var/run/docker.sock"
REGISTRY_ADDR="127.0.0.1:5000"
DEFAULT_PROXY_BIND="127.0.0.1:2375"

BUSYBOX_IMAGE="$REGISTRY_ADDR/sandboxrunner/busybox:1"
PYTHON_IMAGE="$REGISTRY_ADDR/sandboxrunner/python:3.11"

# Every docker call of the test bed scripts goes to the local engine, whatever the caller's
# DOCKER_HOST or docker context says.
export DOCKER_HOST="unix://$ENGINE_SOCKET"
unset DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH || true
export DEBIAN_FRONTEND=noninteractive
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}"

log()  { printf '[testbed] %s\n' "$*" >&2; }
die()  { printf '[testbed] ERROR: %s\n' "$*" >&2; exit 1; }

require_root() {
    [ "$(id -u)" -eq 0 ] || die "must run as root (uses apt-get, dockerd, chroot)"
}

# Print the last lines of a log file to stderr (used before failing).
show_log_tail() {
    local file="$1"
    if [ -f "$file" ]; then
        printf '[testbed] ---- last lines of %s ----\n' "$file" >&2
        tail -n 40 "$file" >&2 || true
        printf '[testbed] ---- end of %s ----\n' "$file" >&2
    else
        printf '[testbed] (no log file %s)\n' "$file" >&2
    fi
}

# True if the pidfile names a live process whose executable basename is $2.
pid_alive() {
    local pidfile="$1" name="$2" pid exe
    [ -s "$pidfile" ] || return 1
    pid="$(tr -dc '0-9' < "$pidfile")"
    [ -n "$pid" ] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    exe="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
    exe="${exe% (deleted)}"
    [ "$(basename "$exe")" = "$name" ]
}

# Stop the process named in pidfile (only if it is a $name process), wait up to $3 seconds,
# then SIGKILL. Removes the pidfile. Never touches anything not named by the pidfile.
stop_by_pidfile() {
    local pidfile="$1" name="$2" wait_s="${3:-20}" pid i
    if ! pid_alive "$pidfile" "$name"; then
        rm -f "$pidfile"
        return 0
    fi
    pid="$(tr -dc '0-9' < "$pidfile")"
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < wait_s * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "$name (pid $pid) did not stop after ${wait_s}s, sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        sleep 0.5
    fi
    rm -f "$pidfile"
}

# Start a fully detached background daemon: new session, stdin from /dev/null, stdout/stderr to
# the log file. Prints the pid. (In a non-interactive shell the background child is never a
# process-group leader, so setsid execs in place and $! is the daemon's own pid.)
start_detached() {
    local logfile="$1"; shift
    setsid "$@" </dev/null >>"$logfile" 2>&1 &
    echo $!
}

# HTTP status code of a GET (000 if nothing answers).
http_code() {
    curl -s -o /dev/null -m 3 -w '%{http_code}' "$1" 2>/dev/null || true
}

engine_answers() {
    [ -S "$ENGINE_SOCKET" ] && timeout 10 docker version >/dev/null 2>&1
}
