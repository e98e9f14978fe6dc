# Shared by the scripts: where things are, and how to get what HostDaemons needs on a fresh Debian machine.
# shellcheck shell=bash

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
artifacts="$repo_root/artifacts"

say() { printf '%s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=""
apt_install() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]}"
  if [ -z "$apt_updated" ]; then
    as_root apt-get update -qq >/dev/null
    apt_updated=yes
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

docker_cli() {
  # Debian's client matches Debian's engine; any docker client on PATH will do otherwise.
  if [ -x /usr/bin/docker ]; then /usr/bin/docker "$@"; else docker "$@"; fi
}

# Makes / a shared mount, as systemd does at boot: Docker refuses rslave and rshared binds (a pod's mountPropagation
# HostToContainer or Bidirectional) of paths on a private mount, which / is on machines without systemd as PID 1.
ensure_shared_root() {
  command -v findmnt >/dev/null 2>&1 || return 0
  [ "$(findmnt -no PROPAGATION /)" = shared ] && return 0
  as_root mount --make-rshared / || say "could not make / a shared mount: pods with mountPropagation will not start"
}

# Installs Debian's docker.io when no engine is installed, and starts dockerd (loopback-only networking) when none answers.
ensure_docker() {
  if ! command -v dockerd >/dev/null 2>&1; then
    apt_install docker.io
  fi
  ensure_shared_root
  if docker_cli info >/dev/null 2>&1; then
    return 0
  fi
  local log="${TMPDIR:-/tmp}/hostdaemons-dockerd.log"
  say "starting dockerd (log: $log)"
  as_root sh -c "nohup dockerd --bridge=none --iptables=false --ip6tables=false >'$log' 2>&1 &"
  for _ in $(seq 1 120); do
    if docker_cli info >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.25
  done
  say "dockerd did not start; see $log"
  tail -n 20 "$log" >&2 || true
  return 1
}

# The images the tests run, built locally because no registry is reachable: busybox from Debian's busybox-static,
# ssd-monitor from the seed's Dockerfile, a fluentd stand-in under the seeds' image names, and a stand-in under the image
# names of the upstream DaemonSets (node-exporter, fluent-bit, node-problem-detector, Vector, NVIDIA's device plugin).
ensure_test_images() {
  if ! docker_cli image inspect busybox:latest >/dev/null 2>&1; then
    apt_install busybox-static
    local rootfs
    rootfs="$(mktemp -d)"
    mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/etc"
    cp /bin/busybox "$rootfs/bin/busybox"
    for applet in $(/bin/busybox --list); do
      [ "$applet" = busybox ] || ln -sf busybox "$rootfs/bin/$applet"
    done
    echo 'root:x:0:0:root:/root:/bin/sh' > "$rootfs/etc/passwd"
    tar -C "$rootfs" -c . | docker_cli import - busybox:latest >/dev/null
    rm -rf "$rootfs"
  fi
  docker_cli build -q -t ssd-monitor:latest -t registry.cn-shanghai.aliyuncs.com/boogoo-ns/ssd-monitor:1.0 \
    "$repo_root/examples/ssd-monitor" >/dev/null
  docker_cli build -q -t stakater/fluentd-elasticsearch:latest -t mirrorgooglecontainers/fluentd-elasticsearch:v2.4.0 \
    "$repo_root/tests/images/fluentd" >/dev/null
  local standins=(quay.io/prometheus/node-exporter:v1.6.1 quay.io/brancz/kube-rbac-proxy:v0.14.2 fluent/fluent-bit:1.3.11
    fluent/fluent-bit:1.5 registry.k8s.io/node-problem-detector/node-problem-detector:v0.8.19
    registry.k8s.io/node-problem-detector/node-problem-detector:v0.8.18 timberio/vector:0.41.1-distroless-libc
    nvcr.io/nvidia/k8s-device-plugin:v0.17.1 quay.io/fluentd_elasticsearch/fluentd:v3.0.2)
  docker_cli build -q "${standins[@]/#/--tag=}" "$repo_root/tests/images/standin" >/dev/null
}

# GNU time, whose peak-memory figure the input-budget tests read for short-lived hdctl runs.
ensure_gnu_time() {
  [ -x /usr/bin/time ] || apt_install time
}

# Debian's registry and htpasswd, for the private registry test (it runs its own registry on a free port). Where an
# init system runs, the package also starts a registry service on :5000: that one is stopped and disabled.
ensure_registry_tools() {
  command -v docker-registry >/dev/null 2>&1 && command -v htpasswd >/dev/null 2>&1 && return 0
  apt_install docker-registry apache2-utils || return 1
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    as_root systemctl disable --now docker-registry >/dev/null 2>&1 || true
  fi
}

# The official JavaScript Kubernetes client for the client-library test (tests/clients/js-probe), from npm, as its
# lockfile pins it; node and npm from Debian when missing.
ensure_js_client() {
  local probe="$repo_root/tests/clients/js-probe"
  [ -d "$probe/node_modules/@kubernetes/client-node" ] && return 0
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm || return 1
  (cd "$probe" && npm ci --no-audit --no-fund --loglevel=error) || return 1
}

# A Debian bookworm image with systemd as PID 1, for the packaging test: built once with debootstrap and kept in the
# engine (and its rootfs tarball under /var/cache/hostdaemons), so later runs start at once.
systemd_image="hostdaemons/systemd-bookworm:1"
ensure_systemd_image() {
  docker_cli image inspect "$systemd_image" >/dev/null 2>&1 && return 0
  local cache=/var/cache/hostdaemons/systemd-bookworm.tar
  if [ ! -s "$cache" ]; then
    apt_install debootstrap || return 1
    local rootfs
    rootfs="$(mktemp -d)"
    say "building a systemd rootfs with debootstrap (once; cached in $cache)"
    if ! as_root debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,procps bookworm "$rootfs" \
        http://deb.debian.org/debian >"${TMPDIR:-/tmp}/hostdaemons-debootstrap.log" 2>&1; then
      say "debootstrap failed; see ${TMPDIR:-/tmp}/hostdaemons-debootstrap.log"
      as_root rm -rf "$rootfs"
      return 1
    fi
    as_root rm -rf "$rootfs/var/cache/apt/archives/"*.deb "$rootfs/var/lib/apt/lists/"*
    as_root mkdir -p "$(dirname "$cache")"
    as_root tar -C "$rootfs" -cf "$cache.tmp" . && as_root mv "$cache.tmp" "$cache"
    as_root rm -rf "$rootfs"
  fi
  docker_cli import -c 'CMD ["/sbin/init"]' "$cache" "$systemd_image" >/dev/null
}
