#!/usr/bin/env bash
# Installs Go toolchains from Debian's archive without touching the machine's apt set-up:
# the packages are fetched through a private sources entry, list directory and archive
# directory, then unpacked with `dpkg -x` into $GO_INSTALL_ROOT/<minor>. Nothing is
# installed system-wide and no root is needed beyond what apt-get download needs; the go
# binary finds its GOROOT from its own path.
#
# The archive address is derived from the machine's own Debian sources entry, so no host is
# written in this repository.
#
# Usage: bash .ci/install-go.sh [MINOR...]
#   MINOR defaults to the oldest supported Go and the newest (see go-versions.sh).
#   Prints "<minor> <path of its go binary>" for each one on stdout; progress goes to stderr.
#   Versions already unpacked are left alone, so running it again costs nothing.
# Environment:
#   GO_INSTALL_ROOT  where toolchains go (default ~/.cache/go-resilient-setup/go); the tests,
#                    the demo and the benchmark look there too
#   DEBIAN_SOURCES   the deb822 file to derive the entry from
#                    (default /etc/apt/sources.list.d/debian.sources)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=go-versions.sh
. "$here/go-versions.sh"

die() {
  echo "install-go: $*" >&2
  exit 1
}

root=${GO_INSTALL_ROOT:-${HOME:?HOME is not set}/.cache/go-resilient-setup/go}
sources=${DEBIAN_SOURCES:-/etc/apt/sources.list.d/debian.sources}
if [ $# -gt 0 ]; then versions=("$@"); else versions=("$GO_OLDEST" "$GO_NEWEST"); fi

# The Debian suite that carries golang-<minor>. These are suite names of the archive, not
# of this machine: the toolchains are static binaries that run on any recent release.
suite_for() {
  case "$1" in
  1.22 | 1.23) echo bookworm-backports ;;
  1.24) echo trixie ;;
  1.25 | 1.26 | 1.27) echo trixie-backports ;;
  *) return 1 ;;
  esac
}

go_path() { echo "$root/$1/usr/lib/go-$1/bin/go"; }

# True when the unpacked go runs and is the release asked for.
installed() {
  local go version
  go=$(go_path "$1")
  [ -x "$go" ] || return 1
  version=$(GOTOOLCHAIN=local "$go" env GOVERSION 2>/dev/null) || return 1
  [[ $version =~ ^go${1//./\\.}($|[.]|rc|beta) ]]
}

# The first enabled `deb` stanza of the sources file that is not a security suite (the main
# archive), printed with its suites swapped for $1, its types narrowed to `deb` and its
# components to `main`. Signed-By and every other field are kept as written, including
# multi-line values.
derive_entry() {
  awk -v suite="$1" '
    BEGIN { RS = ""; FS = "\n" }
    {
      n = 0; split("", field)
      for (i = 1; i <= NF; i++) {
        if ($i ~ /^#/) continue
        if ($i ~ /^[ \t]/ && n > 0) { field[n] = field[n] "\n" $i; continue }
        field[++n] = $i
      }
      types = ""; suites = ""; enabled = "yes"
      for (i = 1; i <= n; i++) {
        name = tolower(field[i]); sub(/:.*/, "", name)
        value = field[i]; sub(/^[^:]*:[ \t]*/, "", value)
        if (name == "types") types = " " value " "
        if (name == "suites") suites = value
        if (name == "enabled") enabled = tolower(value)
      }
      if (types !~ /[ \t]deb[ \t]/ || enabled == "no" || suites == "") next
      main = 0
      m = split(suites, list, /[ \t]+/)
      for (i = 1; i <= m; i++) if (list[i] != "" && list[i] !~ /-security$/) main = 1
      if (!main) next
      for (i = 1; i <= n; i++) {
        name = tolower(field[i]); sub(/:.*/, "", name)
        if (name == "types") print "Types: deb"
        else if (name == "suites") print "Suites: " suite
        else if (name == "components") print "Components: main"
        else if (name != "enabled") print field[i]
      }
      found = 1
      exit
    }
    END { if (!found) exit 1 }' "$sources"
}

missing=()
for v in "${versions[@]}"; do
  [[ $v =~ ^1\.[0-9]+$ ]] || die "version '$v' is not a Go minor release such as $GO_NEWEST"
  suite_for "$v" >/dev/null || die "no Debian suite is known to carry Go $v; this script installs 1.22 to 1.27"
  installed "$v" || missing+=("$v")
done

if [ ${#missing[@]} -gt 0 ]; then
  [ -f "$sources" ] || die "$sources not found: the Debian archive entry is derived from it (set DEBIAN_SOURCES to a deb822 sources file, or install Go yourself and set GO_BIN)"
  command -v apt-get >/dev/null && command -v dpkg >/dev/null || die "apt-get and dpkg are needed to fetch and unpack Debian's Go packages"

  apt="$root/.apt"
  rm -rf "$apt"
  mkdir -p "$apt/sources" "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/debs"
  suites=()
  for v in "${missing[@]}"; do
    s=$(suite_for "$v")
    [[ " ${suites[*]} " == *" $s "* ]] || suites+=("$s")
  done
  for s in "${suites[@]}"; do
    derive_entry "$s" >"$apt/sources/$s.sources" ||
      die "$sources has no enabled 'Types: deb' stanza for the main archive to derive a $s entry from"
  done

  # Only these options point apt away from the system's sources, lists and archives; the
  # sandbox user is whoever runs this, so apt can write into a private home directory.
  apt_opts=(
    -o "Dir::Etc::SourceList=/dev/null"
    -o "Dir::Etc::SourceParts=$apt/sources"
    -o "Dir::State::Lists=$apt/lists"
    -o "Dir::Cache=$apt/cache"
    -o "Dir::Cache::Archives=$apt/cache/archives"
    -o "APT::Sandbox::User=$(id -un)"
  )
  echo "install-go: fetching package lists for ${suites[*]}" >&2
  apt-get "${apt_opts[@]}" -qq update >&2
  packages=()
  for v in "${missing[@]}"; do packages+=("golang-$v-go" "golang-$v-src"); done
  echo "install-go: downloading ${packages[*]}" >&2
  # Not quiet: the packages are large, so apt's own progress shows that the download is
  # moving (a bar on a terminal, a line per package in a log, where apt quiets itself).
  (cd "$apt/debs" && apt-get "${apt_opts[@]}" download "${packages[@]}" >&2)

  for v in "${missing[@]}"; do
    # Unpack beside the target and move it into place, so an interrupted run never leaves
    # a half tree that looks installed.
    staging=$(mktemp -d "$root/.unpack-$v.XXXXXX")
    for p in go src; do
      deb=$(find "$apt/debs" -maxdepth 1 -name "golang-${v}-${p}_*.deb" | head -n 1)
      [ -n "$deb" ] || die "apt-get download did not produce golang-$v-$p"
      dpkg -x "$deb" "$staging"
    done
    rm -rf "${root:?}/$v"
    mv "$staging" "$root/$v"
    installed "$v" || die "Go $v was unpacked into $root/$v but $(go_path "$v") does not run"
    echo "install-go: Go $v unpacked into $root/$v" >&2
  done
  rm -rf "$apt"
fi

for v in "${versions[@]}"; do echo "$v $(go_path "$v")"; done
