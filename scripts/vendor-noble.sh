#!/usr/bin/env bash
# Vendor @noble/curves and @noble/hashes for the booth (served as plain ES modules, no
# build step): src/saylau/web/booth/static/booth/vendor/ (see VENDOR.md there).
#
#   scripts/vendor-noble.sh            fetch both tarballs with `npm pack`, check their sha512
#                                      against the pins below, copy each package minus src/,
#                                      rewrite vendor/MANIFEST.sha256
#   scripts/vendor-noble.sh --check    the same into a scratch directory, then compare it with
#                                      the committed copy and its manifest (changes nothing)
#
# Needs node and npm (and the npm registry). The offline check is the test
# tests/booth/test_vendor.py, which re-hashes the committed files against MANIFEST.sha256.
set -Eeuo pipefail
die() { echo "vendor-noble.sh: ERROR: $*" >&2; exit 1; }
trap 'die "command failed (line $LINENO): $BASH_COMMAND"' ERR

CURVES_VERSION=2.4.0
HASHES_VERSION=2.4.0
# `integrity` of each tarball as the npm registry publishes it (`npm view PKG@V dist.integrity`).
CURVES_INTEGRITY=sha512-P4/62zrgfH33CneE3Dn4WhJVA22YUU0eR51wKIan4NVRvwsA0YnPTwWGpNbpuacSujmSFLvyzpyuR30+fbq2Ew==
HASHES_INTEGRITY=sha512-X5XaVWZIBCT7HHZGm5I7ZQXDwLG+bGXuSrMQAW+7Zvl87h1kmc1ZB1VSRJcpUfoUrGQp4Fkoxm5kZ+Ms+aW+eA==

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENDOR=$REPO/src/saylau/web/booth/static/booth/vendor
CHECK=0
case ${1:-} in
  "") ;;
  --check) CHECK=1 ;;
  *) die "usage: $0 [--check]" ;;
esac
command -v node >/dev/null || die "node is not installed"
command -v npm >/dev/null || die "npm is not installed"

TMP=$(mktemp -d)
trap 'rm -rf -- "$TMP"' EXIT
OUT=$TMP/vendor
mkdir -p "$OUT"

# fetch NAME VERSION INTEGRITY DIR: npm pack, check the tarball's sha512 ourselves, unpack minus src/.
fetch() {
  local name=$1 version=$2 integrity=$3 dir=$4 tgz actual
  (cd "$TMP" && npm pack --silent "$name@$version" >/dev/null)
  tgz=$TMP/$(echo "${name#@}" | tr / -)-$version.tgz
  [ -f "$tgz" ] || die "npm pack did not write $tgz"
  actual=$(node -e 'const c = require("crypto"), fs = require("fs");
    process.stdout.write("sha512-" + c.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"))' "$tgz")
  [ "$actual" = "$integrity" ] || die "$name@$version: tarball integrity $actual, expected $integrity"
  mkdir -p "$TMP/x-$dir"
  tar -xzf "$tgz" -C "$TMP/x-$dir" --no-same-owner
  rm -rf -- "$TMP/x-$dir/package/src"
  mv "$TMP/x-$dir/package" "$OUT/$dir"
  echo "$name@$version: integrity ok ($integrity)"
}

fetch @noble/curves "$CURVES_VERSION" "$CURVES_INTEGRITY" "noble-curves-$CURVES_VERSION"
fetch @noble/hashes "$HASHES_VERSION" "$HASHES_INTEGRITY" "noble-hashes-$HASHES_VERSION"
find "$OUT" -type d -exec chmod 755 {} + && find "$OUT" -type f -exec chmod 644 {} +
(cd "$OUT" && find . -type f ! -name MANIFEST.sha256 | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum) > "$TMP/MANIFEST.sha256"

if [ "$CHECK" = 1 ]; then
  for d in "noble-curves-$CURVES_VERSION" "noble-hashes-$HASHES_VERSION"; do
    diff -r "$OUT/$d" "$VENDOR/$d" || die "$VENDOR/$d differs from a fresh npm pack"
  done
  diff "$TMP/MANIFEST.sha256" "$VENDOR/MANIFEST.sha256" || die "$VENDOR/MANIFEST.sha256 is stale"
  echo "vendored copy matches a fresh npm pack"
  exit 0
fi

mkdir -p "$VENDOR"
for d in "noble-curves-$CURVES_VERSION" "noble-hashes-$HASHES_VERSION"; do
  rm -rf -- "${VENDOR:?}/$d"
  cp -r "$OUT/$d" "$VENDOR/$d"
done
cp "$TMP/MANIFEST.sha256" "$VENDOR/MANIFEST.sha256"
echo "vendored into $VENDOR ($(wc -l < "$VENDOR/MANIFEST.sha256") files in MANIFEST.sha256)"
