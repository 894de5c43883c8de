#!/usr/bin/env bash
# belenios-tool 3.x for Saylau's tests (docs: belenios-protocol.md §11.2). Run as root.
#
# Debian 12: belenios-tool 3.x needs libc6 >= 2.38, so it runs from a Debian 13 (trixie)
# minbase chroot cached in /var/cache/saylau/trixie-<first 16 hex of sha256 of this script>
# (editing this script rebuilds it). Debian 13+: the host's belenios-tool is used directly.
#
#   belenios3-chroot.sh ensure               build the chroot if needed, print its root
#   belenios3-chroot.sh run DIR -- ARGS...   belenios-tool ARGS... in DIR (seen as /work
#                                            in the chroot: keep paths in ARGS relative)
#   belenios3-chroot.sh version              belenios-tool --version
#
# All mounts (/dev, /proc, DIR) are made inside a private mount namespace (unshare --mount):
# the host never sees them and the kernel drops them when the command exits, even on
# SIGKILL, so no bind mount can outlive a call and concurrent calls cannot collide.
set -Eeuo pipefail
die() { echo "belenios3-chroot.sh: ERROR: $*" >&2; exit 1; }
trap 'die "command failed (line $LINENO): $BASH_COMMAND"' ERR

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot and mount need it)"
[ -r /etc/debian_version ] || die "/etc/debian_version missing: not a Debian system"
SELF=$(readlink -f "${BASH_SOURCE[0]}")
CACHE=/var/cache/saylau
ROOT=$CACHE/trixie-$(sha256sum "$SELF" | cut -c1-16)
LOCK=$CACHE/.lock-trixie          # exclusive while building, shared while running
case $(cat /etc/debian_version) in
  12.*) NATIVE=0 ;;
  1[3-9].*|*/sid) NATIVE=1 ;;
  *) die "unsupported Debian version $(cat /etc/debian_version) (need 12 or later)" ;;
esac

# URI of the host's main Debian archive (suite = host codename; never -security/3rd party).
debian_mirror() {
  local codename m=""
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  [ ! -r /etc/apt/sources.list.d/debian.sources ] ||
    m=$(awk -v c="$codename" 'BEGIN { RS = ""; FS = "\n" } {
          u = ""; ok = 0
          for (i = 1; i <= NF; i++) {
            if ($i ~ /^URIs:/) { split($i, a, /[ \t]+/); u = a[2] }
            if ($i ~ /^Suites:/) { n = split($i, s, /[ \t]+/); for (j = 2; j <= n; j++) if (s[j] == c) ok = 1 }
          }
          if (ok && u != "") { print u; exit } }' /etc/apt/sources.list.d/debian.sources)
  [ -n "$m" ] || [ ! -r /etc/apt/sources.list ] ||
    m=$(awk -v c="$codename" '{ sub(/\[[^]]*\]/, "") } $1 == "deb" && $3 == c { print $2; exit }' /etc/apt/sources.list)
  [ -n "$m" ] || die "no Debian mirror for '$codename' in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list"
  echo "$m"
}

# in_chroot ROOT DIR CMD...: CMD inside chroot ROOT, cwd /work bound to host DIR ("" = none, cwd /).
in_chroot() {
  unshare --mount --propagation private -- sh -ec '
    root=$1 dir=$2 cwd=/; shift 2
    mount --bind /dev "$root/dev"
    mount -t proc proc "$root/proc"
    [ -z "$dir" ] || { mount --bind "$dir" "$root/work"; cwd=/work; }
    exec chroot "$root" env -C "$cwd" "$@"' sh "$@"
}

# rm -rf PATH, but refuse loudly if anything is mounted at or under it.
safe_rm() {
  local mounts
  mounts=$(findmnt -rno TARGET | awk -v d="$1" '$0 == d || index($0, d "/") == 1')
  [ -z "$mounts" ] || die "refusing to delete $1: live mount(s) under it:"$'\n'"$mounts"
  echo "removing stale $1" >&2
  rm -rf --one-file-system -- "$1"
}

build() {
  command -v debootstrap >/dev/null || die "debootstrap not installed: run scripts/install-system.sh"
  local mirror tmp d v
  mirror=$(debian_mirror)
  mkdir -p "$CACHE"
  exec 9>"$LOCK"
  flock -xn 9 || { echo "waiting for $LOCK ..." >&2; flock -x 9; }
  [ ! -x "$ROOT/usr/bin/belenios-tool" ] || return 0          # built by a concurrent call
  for d in "$CACHE"/trixie-* "$CACHE"/.tmp-trixie.*; do        # old versions, interrupted builds
    [ ! -e "$d" ] || [ "$d" = "$ROOT" ] || safe_rm "$d"
  done
  tmp=$(mktemp -d "$CACHE/.tmp-trixie.XXXXXX")
  chmod 755 "$tmp"                                              # mktemp made it 0700
  echo "building $ROOT from $mirror (log: $tmp.log) ..." >&2
  if ! { unshare --mount -- debootstrap --variant=minbase trixie "$tmp" "$mirror" &&
         mkdir -p "$tmp/work" &&
         in_chroot "$tmp" "" apt-get update &&
         in_chroot "$tmp" "" env DEBIAN_FRONTEND=noninteractive \
           apt-get install -y --no-install-recommends belenios-tool &&
         in_chroot "$tmp" "" apt-get clean; } >"$tmp.log" 2>&1; then
    tail -n 20 "$tmp.log" >&2
    die "building the trixie chroot failed; full log: $tmp.log"
  fi
  v=$(in_chroot "$tmp" "" belenios-tool --version)
  [[ $v == 3.* ]] || die "chroot belenios-tool --version is '$v', expected 3.x"
  mv -T "$tmp" "$ROOT"                                         # atomic: the cache is now valid
  rm -f "$tmp.log"
}

ensure() {
  if [ "$NATIVE" = 1 ]; then
    local v
    v=$(belenios-tool --version 2>/dev/null) || die "belenios-tool not installed: run scripts/install-system.sh"
    [[ $v == 3.* ]] || die "host belenios-tool --version is '$v', expected 3.x"
  elif [ ! -x "$ROOT/usr/bin/belenios-tool" ]; then
    build
  fi
}

case ${1:-} in
  ensure)
    ensure
    if [ "$NATIVE" = 1 ]; then echo /; else echo "$ROOT"; fi ;;
  version)
    ensure
    if [ "$NATIVE" = 1 ]; then exec belenios-tool --version; fi
    exec 9>"$LOCK"; flock -s 9
    in_chroot "$ROOT" "" belenios-tool --version ;;
  run)
    [ $# -ge 3 ] && [ "$3" = "--" ] || die "usage: $0 run DIR -- ARGS..."
    [ -d "$2" ] || die "run: directory '$2' does not exist"
    dir=$(readlink -f "$2"); shift 3
    ensure
    if [ "$NATIVE" = 1 ]; then cd "$dir" && exec belenios-tool "$@"; fi
    exec 9>"$LOCK"; flock -s 9                   # keeps a rebuild from deleting this root meanwhile
    trap - ERR                                   # pass belenios-tool's exit code through silently
    in_chroot "$ROOT" "$dir" belenios-tool "$@" ;;
  *) die "usage: $0 ensure | version | run DIR -- ARGS..." ;;
esac
