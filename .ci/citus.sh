#!/usr/bin/env bash
# Build Citus from the unmodified source tarball beside the repository and install it
# into Debian's PostgreSQL. The installed files are cached outside the clone, keyed by
# the tarball's hash and the server package's exact version, so a second run on the
# same machine copies them back instead of building (about 6 minutes on two cores).
#
#   bash .ci/citus.sh            build or restore, then install
#   SHARDWISE_CITUS_TARBALL=...  another tarball
#   SHARDWISE_CACHE=...          another cache directory
set -euo pipefail
cd "$(dirname "$0")/.."

tarball=${SHARDWISE_CITUS_TARBALL:-../shared/citus/citus-13.2.2.tar.gz}
if [ ! -f "$tarball" ]; then
  echo "ci: no Citus source at $tarball (set SHARDWISE_CITUS_TARBALL)" >&2
  exit 1
fi

pgmajor=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
pgbin=/usr/lib/postgresql/$pgmajor/bin
pkgversion=$(dpkg-query -W -f='${Version}' "postgresql-$pgmajor")
sum=$(sha256sum "$tarball" | cut -c1-16)
cache_root=${SHARDWISE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shardwise-ci}
cache="$cache_root/citus-$sum-pg$pkgversion"

installed="/usr/lib/postgresql/$pgmajor/lib/citus.manifest"
if [ -f "$cache/MANIFEST" ] && cmp -s "$cache/MANIFEST" "$installed"; then
  echo "ci: Citus already installed ($cache)"
  exit 0
fi

if [ ! -f "$cache/MANIFEST" ]; then
  echo "ci: building Citus from $(basename "$tarball") against PostgreSQL $pkgversion"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "postgresql-server-dev-$pgmajor=$pkgversion" \
    libcurl4-openssl-dev liblz4-dev libzstd-dev libkrb5-dev libssl-dev \
    flex bison make gcc >/dev/null
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  tar -xzf "$tarball" -C "$work"
  src=$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -n 1)
  (
    cd "$src"
    ./configure PG_CONFIG="$pgbin/pg_config" >"$work/configure.log" 2>&1 ||
      { tail -n 40 "$work/configure.log" >&2; exit 1; }
    make -j"$(nproc)" >"$work/make.log" 2>&1 || { tail -n 60 "$work/make.log" >&2; exit 1; }
    make install DESTDIR="$work/stage" >"$work/install.log" 2>&1 ||
      { tail -n 40 "$work/install.log" >&2; exit 1; }
  )
  mkdir -p "$cache_root"
  rm -rf "$cache.tmp"
  mv "$work/stage" "$cache.tmp"
  (cd "$cache.tmp" && find . -type f | LC_ALL=C sort > MANIFEST)
  mv "$cache.tmp" "$cache"
else
  echo "ci: Citus from the cache ($cache)"
fi

# Install: copy the staged tree (usr/...) into place, modes kept.
cp -a --no-preserve=ownership "$cache/usr/." /usr/
cp "$cache/MANIFEST" "$installed"
echo "ci: Citus installed into PostgreSQL $pgmajor"
