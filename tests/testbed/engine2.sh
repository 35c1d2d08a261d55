#!/usr/bin/env bash
# A second, throwaway Docker engine for fault tests that must kill or stop an engine without
# disturbing the shared one on /var/run/docker.sock (see README.md, "Second engine").
#
#   engine2.sh start    start dockerd #2 (and its own containerd) unless it answers; wait until it does
#   engine2.sh stop     stop it (SIGTERM: the engine stops its containers and its containerd); leaves
#                       nothing running: leftover shims/containers of engine2 are ended first
#   engine2.sh kill     SIGKILL dockerd #2 only (its containerd-shims, and so its containers, live on)
#   engine2.sh restart  start again after kill/stop (a running engine is stopped first)
#   engine2.sh status   print whether it runs and answers (exit 0 if it answers)
#
# Everything of engine2 lives apart from the shared engine: socket, data root, exec root, pidfile,
# containerd (socket under the exec root), daemon config. Idempotent; fails loudly with the log tail.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

E2_SOCKET="${ENGINE2_SOCKET:-/var/run/sandboxrunner-engine2.sock}"
E2_HOST="unix://$E2_SOCKET"
E2_DATA="$STATE_DIR/engine2/data"
E2_EXEC="/var/run/sandboxrunner-engine2"
E2_CONFIG="$STATE_DIR/engine2/daemon.json"
E2_PID="$RUN_DIR/engine2-dockerd.pid"
E2_LOG="$LOG_DIR/engine2-dockerd.log"
E2_CONTAINERD_SOCK="$E2_EXEC/containerd/containerd.sock"
E2_CONTAINERD_PID="$E2_EXEC/containerd/containerd.pid"
E2_RUNC_ROOT="$E2_EXEC/runtime-runc/moby"
E2_START_TIMEOUT=60

e2_docker() { timeout 10 docker -H "$E2_HOST" "$@"; }

e2_answers() { [ -S "$E2_SOCKET" ] && e2_docker version >/dev/null 2>&1; }

e2_dockerd_pid() { pid_alive "$E2_PID" dockerd && tr -dc '0-9' <"$E2_PID"; }

# Pid of engine2's containerd (from its own pidfile under the exec root), if it runs.
e2_containerd_pid() { pid_alive "$E2_CONTAINERD_PID" containerd && tr -dc '0-9' <"$E2_CONTAINERD_PID"; }

# Pids of the containerd-shims serving engine2's containerd (their command line names its socket).
e2_shim_pids() {
    local p cmd
    for p in /proc/[0-9]*; do
        cmd="$( { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null || true)"
        case "$cmd" in
            *containerd-shim*"-address $E2_CONTAINERD_SOCK"*) echo "${p#/proc/}" ;;
        esac
    done
}

do_start() {
    require_root
    mkdir -p "$STATE_DIR/engine2" "$E2_DATA" "$RUN_DIR" "$LOG_DIR"
    if e2_answers; then
        log "engine2 already answers on $E2_HOST"
        return 0
    fi
    local pid
    if pid="$(e2_dockerd_pid)"; then
        log "engine2 dockerd (pid $pid) runs but does not answer yet"
    else
        # An explicit (empty) config file, so that /etc/docker/daemon.json (hosts, data-root, ...) of
        # the shared engine never leaks into this one.
        [ -s "$E2_CONFIG" ] || echo '{}' >"$E2_CONFIG"
        log "starting engine2 dockerd on $E2_HOST"
        printf '==== %s start\n' "$(date -Is)" >>"$E2_LOG"
        # No --containerd: dockerd starts its own containerd (socket, state and pidfile under
        # $E2_EXEC/containerd, root under $E2_DATA/containerd). Without --live-restore.
        pid="$(start_detached "$E2_LOG" dockerd \
            --config-file "$E2_CONFIG" \
            --data-root "$E2_DATA" \
            --exec-root "$E2_EXEC" \
            --pidfile "$E2_PID" \
            -H "$E2_HOST" \
            --iptables=false --ip-forward=false --bridge=none)"
    fi
    local i
    for ((i = 0; ; i++)); do
        if e2_answers; then break; fi
        if ! kill -0 "$pid" 2>/dev/null; then
            show_log_tail "$E2_LOG"
            die "engine2 dockerd exited during start"
        fi
        if [ "$i" -ge $((E2_START_TIMEOUT * 4)) ]; then
            show_log_tail "$E2_LOG"
            die "engine2 dockerd did not answer on $E2_HOST within ${E2_START_TIMEOUT}s"
        fi
        sleep 0.25
    done
    # It must run its own containerd, never the shared engine's or a system one.
    local cpid
    if ! cpid="$(e2_containerd_pid)"; then
        show_log_tail "$E2_LOG"
        die "engine2 answers but its own containerd ($E2_CONTAINERD_PID) does not run"
    fi
    log "engine2 answers (dockerd pid $pid, containerd pid $cpid, $(e2_docker version -f '{{.Server.Version}} API {{.Server.APIVersion}}'))"
}

# Ends containers of engine2 that outlived its dockerd, through engine2's own runc state.
e2_end_orphan_containers() {
    local id
    [ -d "$E2_RUNC_ROOT" ] || return 0
    for id in $(runc --root "$E2_RUNC_ROOT" list -q 2>/dev/null || true); do
        log "killing leftover engine2 container $id (runc)"
        runc --root "$E2_RUNC_ROOT" kill -a "$id" KILL 2>/dev/null || true
        runc --root "$E2_RUNC_ROOT" delete -f "$id" 2>/dev/null || true
    done
}

do_stop() {
    require_root
    local pid
    if ! pid="$(e2_dockerd_pid)" && [ -n "$(e2_shim_pids)" ]; then
        # Killed earlier: its shims keep containers alive. A start restores and (no live-restore)
        # stops them; the stop below then ends everything the normal way.
        log "engine2 dockerd is down but its containers live on: starting it to stop them"
        do_start || log "WARNING: engine2 did not come back; ending its leftovers by hand"
    fi
    if pid_alive "$E2_PID" dockerd; then
        # dockerd stops running containers (up to 15 s each, in parallel) and then its containerd.
        stop_by_pidfile "$E2_PID" dockerd 60
    else
        rm -f "$E2_PID"
    fi
    # Whatever is still there (a containerd that outlived a SIGKILLed dockerd, shims, containers).
    e2_end_orphan_containers
    local cpid
    if cpid="$(e2_containerd_pid)"; then
        log "stopping leftover engine2 containerd (pid $cpid)"
        kill -TERM "$cpid" 2>/dev/null || true
        for ((i = 0; i < 100; i++)); do kill -0 "$cpid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$cpid" 2>/dev/null || true
    fi
    local shims
    shims="$(e2_shim_pids)"
    if [ -n "$shims" ]; then
        log "killing leftover engine2 containerd-shims: $(echo $shims)"
        # shellcheck disable=SC2086
        kill -KILL $shims 2>/dev/null || true
    fi
    rm -f "$E2_CONTAINERD_PID"
    sleep 0.2
    # Fail loudly if anything of engine2 still runs.
    if pid_alive "$E2_PID" dockerd || e2_containerd_pid >/dev/null || [ -n "$(e2_shim_pids)" ]; then
        die "engine2 did not stop completely (dockerd/containerd/shims still running)"
    fi
    log "engine2 is stopped"
}

do_kill() {
    require_root
    local pid
    if ! pid="$(e2_dockerd_pid)"; then
        log "engine2 dockerd is not running: nothing to kill"
        return 0
    fi
    log "SIGKILL engine2 dockerd (pid $pid)"
    kill -KILL "$pid"
    local i
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -0 "$pid" 2>/dev/null && die "engine2 dockerd (pid $pid) survived SIGKILL"
    # The pidfile is left as it is (dockerd had no chance to remove it); a start overwrites it.
    return 0
}

do_status() {
    local pid cpid
    if pid="$(e2_dockerd_pid)"; then echo "dockerd:    running (pid $pid)"; else echo "dockerd:    not running"; fi
    if cpid="$(e2_containerd_pid)"; then echo "containerd: running (pid $cpid)"; else echo "containerd: not running"; fi
    echo "shims:      $(e2_shim_pids | wc -l)"
    if e2_answers; then echo "answers:    yes ($E2_HOST)"; return 0; fi
    echo "answers:    no ($E2_HOST)"
    return 1
}

case "${1:-}" in
    start) do_start ;;
    stop) do_stop ;;
    kill) do_kill ;;
    restart)
        if pid_alive "$E2_PID" dockerd; then stop_by_pidfile "$E2_PID" dockerd 60; fi
        do_start
        ;;
    status) do_status ;;
    *) die "usage: $0 start|stop|kill|restart|status" ;;
esac
