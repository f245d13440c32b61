#!/usr/bin/env bash
# Makes the local base image `debian:12-slim` from Debian's own packages, for
# machines that reach Debian's mirror but no container registry. The tree comes
# from debootstrap (minbase bookworm), trimmed like the official slim image
# (no docs, man pages or locales; apt lists removed), and is committed with
# buildah; the tag docker.io/library/debian:12-slim lets `FROM debian:12-slim`
# resolve with `buildah bud --pull-never`. Kept in local container storage:
# an existing image is reused unless FASTERBERT_REBUILD_BASE=1.
set -euo pipefail

base=localhost/fasterbert-debian:bookworm-slim
alias=docker.io/library/debian:12-slim
say() { printf '[image] %s\n' "$*"; }

if [ "${FASTERBERT_REBUILD_BASE:-0}" != 1 ] && buildah inspect --type image "$base" >/dev/null 2>&1; then
  buildah tag "$base" "$alias"
  say "base image $base (reused)"
  exit 0
fi

# The mirror this machine's apt uses (deb822 sources first, then sources.list).
mirror=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -n1 || true)
if [ -z "$mirror" ]; then
  mirror=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' /etc/apt/sources.list 2>/dev/null || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}

tree=$(mktemp -d /var/tmp/fasterbert-base.XXXXXX)
ctr=''
cleanup() {
  if [ -n "$ctr" ]; then buildah rm "$ctr" >/dev/null 2>&1 || true; fi
  rm -rf "$tree"
}
trap cleanup EXIT

say "debootstrap --variant=minbase bookworm from $mirror"
started=$(date +%s)
debootstrap --variant=minbase bookworm "$tree" "$mirror" >"$tree.log" 2>&1 || { tail -n 20 "$tree.log"; exit 1; }
rm -f "$tree.log"

# What the official slim image does: no documentation or translations from
# later installs, no apt caches; the same three suites in debian.sources.
cat > "$tree/etc/dpkg/dpkg.cfg.d/slim" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
DPKG
cat > "$tree/etc/apt/apt.conf.d/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT
rm -f "$tree/etc/apt/sources.list"
cat > "$tree/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
rm -rf "$tree"/usr/share/doc/* "$tree"/usr/share/man/* "$tree"/usr/share/info/* \
  "$tree"/var/lib/apt/lists/* "$tree"/var/cache/apt/*.bin "$tree"/var/cache/apt/archives/*.deb "$tree"/var/log/*.log

ctr=$(buildah from scratch)
mnt=$(buildah mount "$ctr")
cp -a "$tree/." "$mnt/"
buildah umount "$ctr" >/dev/null
buildah config --cmd bash --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
buildah commit --quiet --format docker "$ctr" "$base" >/dev/null
buildah tag "$base" "$alias"
say "base image $base ($(( $(date +%s) - started )) s), tagged $alias"
