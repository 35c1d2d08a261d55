#!/usr/bin/env bash
# Bring the SandboxRunner engine test bed up (idempotent; see README.md):
#   packages -> dockerd -> registry 127.0.0.1:5000 -> images built from Debian packages ->
#   socket proxy 127.0.0.1:2375 (CONTAINERS=1 IMAGES=1 POST=1, PING=1, everything else 0).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Bump when the way images are assembled changes: forces a rebuild.
IMAGE_RECIPE_VERSION=1

T0=$SECONDS
require_root
mkdir -p "$STATE_DIR" "$RUN_DIR" "$LOG_DIR"

# ---------------------------------------------------------------------------------------------
# 1. Packages
# ---------------------------------------------------------------------------------------------
APT_UPDATED=0
apt_update_once() {
    if [ "$APT_UPDATED" -eq 0 ]; then
        log "apt-get update"
        apt-get update -q >"$LOG_DIR/apt-update.log" 2>&1 \
            || { show_log_tail "$LOG_DIR/apt-update.log"; die "apt-get update failed"; }
        APT_UPDATED=1
    fi
}

is_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

ensure_packages() {
    local missing=() p
    for p in "$@"; do is_installed "$p" || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    apt_update_once
    log "installing ${missing[*]}"
    apt-get install -y -q --no-install-recommends "${missing[@]}" >"$LOG_DIR/apt-install.log" 2>&1 \
        || { show_log_tail "$LOG_DIR/apt-install.log"; die "apt-get install ${missing[*]} failed"; }
}

ensure_packages docker.io docker-registry busybox-static haproxy curl
for bin in dockerd docker docker-registry haproxy curl; do
    command -v "$bin" >/dev/null || die "$bin not found after installing packages"
done

# ---------------------------------------------------------------------------------------------
# 2. Docker engine
# ---------------------------------------------------------------------------------------------
DOCKERD_PID="$RUN_DIR/dockerd.pid"
DOCKERD_LOG="$LOG_DIR/dockerd.log"

if engine_answers; then
    if pid_alive "$DOCKERD_PID" dockerd; then
        log "dockerd already running (started by the test bed, pid $(cat "$DOCKERD_PID"))"
    else
        log "an engine already answers on $ENGINE_SOCKET (not started by the test bed): using it"
    fi
else
    if pid_alive "$DOCKERD_PID" dockerd; then
        # Ours, but not answering (still starting, or wedged): give it the same bounded wait below.
        log "dockerd (pid $(cat "$DOCKERD_PID")) runs but does not answer yet"
        pid="$(cat "$DOCKERD_PID")"
    else
        log "starting dockerd"
        printf '==== %s start\n' "$(date -Is)" >>"$DOCKERD_LOG"
        # dockerd writes (and removes) its own pidfile; $pid is the same process.
        pid="$(start_detached "$DOCKERD_LOG" dockerd --iptables=false --ip-forward=false --bridge=none \
            -H "unix://$ENGINE_SOCKET" --pidfile "$DOCKERD_PID")"
    fi
    for ((i = 0; ; i++)); do
        if engine_answers; then break; fi
        if ! kill -0 "$pid" 2>/dev/null; then
            show_log_tail "$DOCKERD_LOG"
            die "dockerd exited during start"
        fi
        if [ "$i" -ge 120 ]; then
            show_log_tail "$DOCKERD_LOG"
            die "dockerd did not answer on $ENGINE_SOCKET within 60s"
        fi
        sleep 0.5
    done
    log "dockerd answers ($(docker version -f '{{.Server.Version}} API {{.Server.APIVersion}}'))"
fi

# ---------------------------------------------------------------------------------------------
# 3. Registry on 127.0.0.1:5000
# ---------------------------------------------------------------------------------------------
REGISTRY_PID="$RUN_DIR/registry.pid"
REGISTRY_LOG="$LOG_DIR/registry.log"
REGISTRY_CFG="$STATE_DIR/registry/config.yml"

if [ "$(http_code "http://$REGISTRY_ADDR/v2/")" = "200" ]; then
    log "registry already answers on $REGISTRY_ADDR"
else
    if pid_alive "$REGISTRY_PID" docker-registry; then
        stop_by_pidfile "$REGISTRY_PID" docker-registry 10
    fi
    mkdir -p "$STATE_DIR/registry/data"
    cat >"$REGISTRY_CFG" <<EOF
# Written by tests/testbed/up.sh
version: 0.1
log:
  level: info
  fields:
    service: registry
storage:
  filesystem:
    rootdirectory: $STATE_DIR/registry/data
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: $REGISTRY_ADDR
  headers:
    X-Content-Type-Options: [nosniff]
EOF
    log "starting registry on $REGISTRY_ADDR"
    printf '==== %s start\n' "$(date -Is)" >>"$REGISTRY_LOG"
    pid="$(start_detached "$REGISTRY_LOG" docker-registry serve "$REGISTRY_CFG")"
    echo "$pid" >"$REGISTRY_PID"
    for ((i = 0; ; i++)); do
        code="$(http_code "http://$REGISTRY_ADDR/v2/")"
        [ "$code" = "200" ] && break
        if ! kill -0 "$pid" 2>/dev/null; then
            show_log_tail "$REGISTRY_LOG"; rm -f "$REGISTRY_PID"
            die "registry exited during start"
        fi
        if [ "$i" -ge 100 ]; then
            show_log_tail "$REGISTRY_LOG"
            die "registry did not answer on http://$REGISTRY_ADDR/v2/ within 20s (last HTTP code $code)"
        fi
        sleep 0.2
    done
fi

# ---------------------------------------------------------------------------------------------
# 4. Images, built from Debian packages (no public registry involved)
# ---------------------------------------------------------------------------------------------
ARCH="$(dpkg --print-architecture)"
IMG_STATE="$STATE_DIR/images"
DEB_CACHE="$STATE_DIR/debs"
mkdir -p "$IMG_STATE" "$DEB_CACHE"

BUSYBOX_ROOTS="busybox-static"
PYTHON_ROOTS="python3.11-minimal libpython3.11-minimal libpython3.11-stdlib libc6"
# Not needed in an image that never runs a package manager or maintainer scripts.
CLOSURE_EXCLUDE="dpkg debconf cdebconf perl-base perl perl-modules-5.36 mime-support mailcap tar install-info"

# Fingerprint of the apt package lists: the resolved package sets are cached per fingerprint so a
# re-run does not ask apt again.
apt_lists_fingerprint() {
    # shellcheck disable=SC2012
    ls -l --time-style=+%s /var/lib/apt/lists/ 2>/dev/null | sha256sum | cut -c1-16
}

has_candidate() {
    local out
    out="$(apt-cache policy "$1" 2>/dev/null || true)"
    [[ "$out" =~ Candidate:\ [0-9] ]]
}

# Make sure apt knows the packages (a fresh machine may have empty lists).
ensure_apt_candidate() {
    local p
    for p in "$@"; do
        if ! has_candidate "$p"; then
            apt_update_once
            has_candidate "$p" || die "apt has no candidate for package $p"
        fi
    done
}

# Dependency closure of the root packages (Depends + Pre-Depends, first usable alternative,
# virtual packages resolved to their first provider), minus CLOSURE_EXCLUDE; one "pkg=version"
# per line, sorted.
resolve_packages() {
    local roots="$1"
    ensure_apt_candidate $roots
    # shellcheck disable=SC2086
    apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
        --no-replaces --no-enhances $roots 2>/dev/null \
    | awk -v ROOTS="$roots" -v EXCLUDE="$CLOSURE_EXCLUDE" '
        BEGIN { n = split(ROOTS, r, " "); m = split(EXCLUDE, e, " "); for (i = 1; i <= m; i++) ex[e[i]] = 1 }
        /^[^ ]/ { cur = $1; g = 0; ingroup = 0; next }
        /^ [ |](Pre)?Depends: / {
            alt = (substr($0, 2, 1) == "|"); name = $2
            if (!ingroup) { g++; ingroup = 1; ng[cur] = g }
            grp[cur, g, ++cnt[cur, g]] = name
            ingroup = alt; lastdep = name; next
        }
        /^    / { if (lastdep ~ /^</ && !(lastdep in prov)) prov[lastdep] = $1; next }
        END {
            q = 0
            for (i = 1; i <= n; i++) { queue[++q] = r[i]; seen[r[i]] = 1 }
            for (h = 1; h <= q; h++) {
                p = queue[h]
                for (gi = 1; gi <= ng[p]; gi++) {
                    pick = ""
                    for (k = 1; k <= cnt[p, gi]; k++) {
                        c = grp[p, gi, k]; if (c ~ /^</) c = prov[c]
                        if (c != "" && !(c in ex)) { pick = c; break }
                    }
                    if (pick != "" && !(pick in seen)) { seen[pick] = 1; queue[++q] = pick }
                }
            }
            for (h = 1; h <= q; h++) print queue[h]
        }' \
    | sort -u \
    | while read -r p; do
        v="$(apt-cache policy "$p" | awk '/Candidate:/ { print $2 }')"
        [ -n "$v" ] && [ "$v" != "(none)" ] || { echo "no candidate version for $p" >&2; exit 1; }
        echo "$p=$v"
    done
}

# Cached wrapper: prints the package list for an image (file path on stdout).
package_list() {
    local name="$1" roots="$2" key file
    key="$(apt_lists_fingerprint)"
    file="$IMG_STATE/$name.packages.$key"
    if [ ! -s "$file" ]; then
        rm -f "$IMG_STATE/$name.packages."*
        resolve_packages "$roots" >"$file.tmp" || die "could not resolve packages for $name"
        mv "$file.tmp" "$file"
    fi
    echo "$file"
}

# Digest of a manifest in the local registry (empty if absent).
registry_digest() {
    local image="$1" repo tag
    repo="${image#"$REGISTRY_ADDR"/}"; tag="${repo##*:}"; repo="${repo%:*}"
    local headers
    headers="$(curl -fsS -m 5 -o /dev/null -D - \
        -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
        -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
        "http://$REGISTRY_ADDR/v2/$repo/manifests/$tag" 2>/dev/null || true)"
    printf '%s\n' "$headers" | tr -d '\r' | awk 'tolower($1) == "docker-content-digest:" { print $2 }'
}

# Download the .debs of a package list into a directory; prints that directory.
download_debs() {
    local pkgfile="$1" dir p v fn
    dir="$DEB_CACHE"
    chown _apt "$dir" 2>/dev/null || true
    local need=()
    while IFS='=' read -r p v; do
        # apt-get download names files pkg_version_arch.deb with ':' encoded as %3a.
        fn="$(ls "$dir/${p}_${v//:/%3a}_"*.deb 2>/dev/null | head -n1 || true)"
        [ -n "$fn" ] || need+=("$p=$v")
    done <"$pkgfile"
    if [ ${#need[@]} -gt 0 ]; then
        log "downloading ${#need[@]} packages"
        (cd "$dir" && apt-get download -q "${need[@]}") >"$LOG_DIR/apt-download.log" 2>&1 || {
            apt_update_once
            (cd "$dir" && apt-get download -q "${need[@]}") >"$LOG_DIR/apt-download.log" 2>&1 \
                || { show_log_tail "$LOG_DIR/apt-download.log"; die "apt-get download failed"; }
        }
    fi
}

# Unpack a package list into a fresh rootfs directory.
unpack_rootfs() {
    local pkgfile="$1" rootfs="$2" p v fn
    rm -rf "$rootfs"; mkdir -p "$rootfs"
    while IFS='=' read -r p v; do
        fn="$(ls "$DEB_CACHE/${p}_${v//:/%3a}_"*.deb 2>/dev/null | head -n1 || true)"
        [ -n "$fn" ] || die "missing .deb for $p=$v in $DEB_CACHE"
        dpkg -x "$fn" "$rootfs"
    done <"$pkgfile"
}

# Common skeleton: /tmp (1777), passwd/group with root and nobody (65534), mount points.
rootfs_skeleton() {
    local rootfs="$1"
    mkdir -p "$rootfs/etc" "$rootfs/tmp" "$rootfs/root" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev" \
        "$rootfs/bin" "$rootfs/usr/bin"
    chmod 1777 "$rootfs/tmp"
    chmod 0700 "$rootfs/root"
    cat >"$rootfs/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
    cat >"$rootfs/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
    rm -rf "$rootfs/usr/share/doc" "$rootfs/usr/share/man" "$rootfs/usr/share/info" \
        "$rootfs/usr/share/lintian" "$rootfs/usr/share/bug"
}

# docker import the rootfs as $image with labels; $@ = extra --change arguments.
import_rootfs() {
    local rootfs="$1" image="$2" hash="$3"; shift 3
    tar --numeric-owner -C "$rootfs" -c . | docker import \
        --change "LABEL org.sandboxrunner.testbed.hash=$hash" \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        "$@" - "$image" >/dev/null
}

build_busybox() {
    local rootfs="$1" image="$2" hash="$3" applet
    rootfs_skeleton "$rootfs"
    [ -x "$rootfs/bin/busybox" ] || die "busybox-static did not provide /bin/busybox"
    # Same effect as "busybox --install -s": a symlink per applet at its usual place.
    while read -r applet; do
        [ -n "$applet" ] || continue
        [ -e "$rootfs/$applet" ] || [ -L "$rootfs/$applet" ] && continue
        mkdir -p "$rootfs/$(dirname "$applet")"
        ln -s /bin/busybox "$rootfs/$applet"
    done < <("$rootfs/bin/busybox" --list-full)
    [ -L "$rootfs/bin/sh" ] || ln -sf busybox "$rootfs/bin/sh"
    import_rootfs "$rootfs" "$image" "$hash" --change 'CMD ["/bin/sh"]'
    local out
    out="$(docker run --rm --network none --user 65534:65534 "$image" sh -c 'test "$(id -u)" = 65534 && echo ok' 2>&1)" || true
    [ "$out" = "ok" ] || die "smoke test of $image failed: $out"
}

build_python() {
    local rootfs="$1" image="$2" hash="$3" out
    rootfs_skeleton "$rootfs"
    [ -x "$rootfs/usr/bin/python3.11" ] || die "python3.11-minimal did not provide /usr/bin/python3.11"
    ln -sf python3.11 "$rootfs/usr/bin/python3"
    # Library search cache, as ldconfig would leave it on a real system.
    printf 'include /etc/ld.so.conf.d/*.conf\n' >"$rootfs/etc/ld.so.conf"
    ldconfig -r "$rootfs"
    # Byte-compile the standard library once (the package postinst would do it): containers run
    # with a read-only root, so without .pyc files every start would recompile the imports.
    chroot "$rootfs" /usr/bin/python3.11 -m compileall -q /usr/lib/python3.11 >/dev/null \
        || die "byte-compiling the python standard library failed"
    import_rootfs "$rootfs" "$image" "$hash" --change 'ENV LANG=C.UTF-8' --change 'CMD ["python3"]'
    out="$(docker run --rm --network none --user 65534:65534 "$image" \
        python3 -c 'import json, os, sys, subprocess, ssl; print(1)' 2>&1)" || true
    [ "$out" = "1" ] || die "smoke test of $image failed: $out"
}

# ensure_image NAME IMAGE ROOTS BUILDFN KEEP_LOCAL(0/1)
ensure_image() {
    local name="$1" image="$2" roots="$3" buildfn="$4" keep_local="$5"
    local pkgfile hash stamp digest rootfs old_id
    pkgfile="$(package_list "$name" "$roots")"
    hash="$( { echo "recipe=$IMAGE_RECIPE_VERSION arch=$ARCH image=$image"; cat "$pkgfile"; } \
        | sha256sum | cut -c1-16)"
    stamp="$IMG_STATE/$name.stamp"
    digest="$(registry_digest "$image")"

    if [ -n "$digest" ] && [ "$(cat "$stamp" 2>/dev/null || true)" = "$hash $digest" ]; then
        log "$image is up to date in the registry ($digest)"
    else
        log "building $image ($(wc -l <"$pkgfile") packages)"
        old_id="$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)"
        download_debs "$pkgfile"
        rootfs="$STATE_DIR/build/$name"
        unpack_rootfs "$pkgfile" "$rootfs"
        "$buildfn" "$rootfs" "$image" "$hash"
        log "pushing $image"
        docker push "$image" >"$LOG_DIR/push-$name.log" 2>&1 \
            || { show_log_tail "$LOG_DIR/push-$name.log"; die "docker push $image failed"; }
        digest="$(registry_digest "$image")"
        [ -n "$digest" ] || die "$image not found in the registry after the push"
        echo "$hash $digest" >"$stamp"
        rm -rf "$rootfs"
        # Drop the previous build if nothing uses it any more.
        if [ -n "$old_id" ] && [ "$old_id" != "$(docker image inspect -f '{{.Id}}' "$image")" ]; then
            docker rmi "$old_id" >/dev/null 2>&1 || true
        fi
    fi

    if [ "$keep_local" = 1 ]; then
        if [ "$(docker image inspect -f '{{index .Config.Labels "org.sandboxrunner.testbed.hash"}}' "$image" 2>/dev/null || true)" != "$hash" ]; then
            log "pulling $image"
            docker pull -q "$image" >/dev/null || die "docker pull $image failed"
        fi
    else
        # Keep no local copy, so that tests exercise a real pull.
        if docker image inspect "$image" >/dev/null 2>&1; then
            log "removing the local copy of $image"
            docker rmi "$image" >/dev/null 2>&1 \
                || log "WARNING: could not remove the local copy of $image (containers use it?)"
        fi
    fi
}

ensure_image busybox "$BUSYBOX_IMAGE" "$BUSYBOX_ROOTS" build_busybox 0
ensure_image python "$PYTHON_IMAGE" "$PYTHON_ROOTS" build_python 1

# ---------------------------------------------------------------------------------------------
# 5. Socket proxy on 127.0.0.1:2375
# ---------------------------------------------------------------------------------------------
env -i PATH="$PATH" TESTBED_STATE_DIR="$STATE_DIR" TESTBED_LOG_DIR="$LOG_DIR" \
    PROXY_BIND="$DEFAULT_PROXY_BIND" DOCKER_SOCKET_PATH="$ENGINE_SOCKET" \
    PROXY_LOG="$LOG_DIR/proxy-2375.log" \
    CONTAINERS=1 IMAGES=1 POST=1 VERSION=0 EVENTS=0 \
    "$TESTBED_DIR/proxy.sh" start "$RUN_DIR/proxy-2375.pid"

[ "$(http_code "http://$DEFAULT_PROXY_BIND/_ping")" = "200" ] || die "proxy /_ping does not answer 200"

# ---------------------------------------------------------------------------------------------
cat <<EOF
SandboxRunner test bed is up ($((SECONDS - T0)) s)
  engine:   unix://$ENGINE_SOCKET ($(docker version -f '{{.Server.Version}}, API {{.Server.APIVersion}}'))
  proxy:    tcp://$DEFAULT_PROXY_BIND  (CONTAINERS=1 IMAGES=1 POST=1 PING=1, all else 0)
  registry: http://$REGISTRY_ADDR
  images:   $BUSYBOX_IMAGE  (registry only, not kept locally)
            $PYTHON_IMAGE  (registry and local)
  state:    $STATE_DIR   logs: $LOG_DIR
EOF
