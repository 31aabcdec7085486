#!/usr/bin/env bash
# Fetches the real Elixir corpora from Debian source packages into corpus/ (git-ignored),
# once: elixir-lang (the Elixir 1.14 stdlib) and rabbitmq-server (its Elixir CLI).
# Prints nothing when the cache is already there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/corpus"
SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
need=()
for pkg in elixir-lang rabbitmq-server; do
  [[ -f "$dest/$pkg.done" ]] || need+=("$pkg")
done
((${#need[@]})) || exit 0
# Debian's apt-get source needs a deb-src entry for bookworm main.
if ! grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "corpus: adding a deb-src entry for bookworm main" >&2
  $SUDO tee /etc/apt/sources.list.d/exscope-src.sources >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  $SUDO apt-get update -qq
fi
command -v dpkg-source >/dev/null || "$root/scripts/deps.sh"
mkdir -p "$dest"
for pkg in "${need[@]}"; do
  echo "corpus: fetching Debian source package $pkg" >&2
  tmp="$dest/.tmp-$pkg"; rm -rf "$tmp"; mkdir -p "$tmp"
  (cd "$tmp" && apt-get source -qq "$pkg" >/dev/null 2>&1) || (cd "$tmp" && apt-get source "$pkg" >&2)
  dir=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -1)
  rm -rf "${dest:?}/$pkg"; mv "$dir" "$dest/$pkg"; rm -rf "$tmp"
  touch "$dest/$pkg.done"
done
