#!/bin/sh
# Installs HostDaemons from the release tarball on a systemd host that is not Debian.
#
#   ./install.sh agent          the agent (needs Docker), enabled and started
#   ./install.sh controlplane   the control plane, under its own user, enabled and started
#   ./install.sh hdctl          the CLI only
#   ./install.sh uninstall      stops and removes everything installed; state stays unless PURGE=1
#
# PREFIX (default /usr/local) is where the executables go; units go to /etc/systemd/system.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
prefix="${PREFIX:-/usr/local}"
units=/etc/systemd/system

fail() { echo "install.sh: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "run as root"

have_systemd() { [ -d /run/systemd/system ]; }

# The units say /usr/bin; another prefix is written into the installed copy.
install_unit() {
  sed "s:^ExecStart=/usr/bin/:ExecStart=$prefix/bin/:" "$here/systemd/$1" >"$units/$1"
  chmod 0644 "$units/$1"
}

install_config() {
  mkdir -p /etc/hostdaemons
  # An existing settings file is the administrator's: it is never overwritten.
  [ -e "/etc/hostdaemons/$1" ] || install -m 0644 "$here/etc/$1" "/etc/hostdaemons/$1"
}

start() {
  if have_systemd; then
    systemctl daemon-reload
    systemctl enable "$1" >/dev/null 2>&1
    systemctl restart "$1"
  else
    echo "install.sh: no systemd here: start $prefix/bin/${1%.service} yourself" >&2
  fi
}

case "${1:-}" in
  agent)
    install -D -m 0755 "$here/bin/hostdaemons-agent" "$prefix/bin/hostdaemons-agent"
    install_config agent.yaml
    mkdir -p /etc/hostdaemons/manifests /var/lib/hostdaemons/agent
    install_unit hostdaemons-agent.service
    start hostdaemons-agent.service
    ;;
  controlplane)
    install -D -m 0755 "$here/bin/hostdaemons-controlplane" "$prefix/bin/hostdaemons-controlplane"
    install_config controlplane.yaml
    if ! getent passwd hostdaemons >/dev/null; then
      useradd --system --user-group --home-dir /var/lib/hostdaemons/controlplane --no-create-home \
        --shell /usr/sbin/nologin hostdaemons
    fi
    install -d -m 0750 -o hostdaemons -g hostdaemons /var/lib/hostdaemons/controlplane
    install_unit hostdaemons-controlplane.service
    start hostdaemons-controlplane.service
    # The administrator's kubeconfig, written on the first start over TLS, where hdctl looks for it.
    if [ -f /var/lib/hostdaemons/controlplane/admin.conf ] && [ ! -e /etc/hostdaemons/admin.conf ]; then
      install -m 0640 -o root -g hostdaemons /var/lib/hostdaemons/controlplane/admin.conf /etc/hostdaemons/admin.conf
    fi
    ;;
  hdctl)
    install -D -m 0755 "$here/bin/hdctl" "$prefix/bin/hdctl"
    ;;
  uninstall)
    for unit in hostdaemons-agent.service hostdaemons-controlplane.service; do
      if [ -e "$units/$unit" ]; then
        have_systemd && systemctl disable --now "$unit" >/dev/null 2>&1 || true
        rm -f "$units/$unit"
      fi
    done
    have_systemd && systemctl daemon-reload || true
    rm -f "$prefix/bin/hostdaemons-agent" "$prefix/bin/hostdaemons-controlplane" "$prefix/bin/hdctl"
    if [ "${PURGE:-0}" = 1 ]; then
      rm -rf /var/lib/hostdaemons /etc/hostdaemons
      getent passwd hostdaemons >/dev/null && userdel hostdaemons || true
    fi
    ;;
  *)
    sed -n '2,10s/^# \{0,1\}//p' "$0" >&2
    exit 2
    ;;
esac
