#!/usr/bin/env bash
# Installs Go 1.23 from Debian backports when no usable `go` is present.
# The backports entry is derived from the machine's own Debian sources entry,
# so no registry host is written anywhere in this repository.
set -euo pipefail

GO_BIN=/usr/lib/go-1.23/bin/go
if [ -x "$GO_BIN" ]; then
  echo "$GO_BIN"
  exit 0
fi

codename=$(. /etc/os-release && echo "${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}")
src=/etc/apt/sources.list.d/debian.sources
target=/etc/apt/sources.list.d/go-resilient-setup-backports.sources
if [ ! -f "$target" ]; then
  [ -f "$src" ] || { echo "install-go: $src not found; cannot derive a backports entry" >&2; exit 1; }
  # Take the first deb822 stanza (the main archive) and swap its suites for backports.
  awk -v suite="${codename}-backports" '
    BEGIN { RS=""; ORS="\n" }
    NR == 1 {
      n = split($0, lines, "\n")
      for (i = 1; i <= n; i++) {
        if (lines[i] ~ /^#/) continue
        if (lines[i] ~ /^Suites:/) lines[i] = "Suites: " suite
        print lines[i]
      }
      exit
    }' "$src" >"$target"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq -t "${codename}-backports" golang-1.23-go >&2
echo "$GO_BIN"
