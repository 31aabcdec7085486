#!/usr/bin/env bash
# Installs what exscope needs on a Debian 12 machine, idempotently: only missing
# packages are installed, and `apt-get update` runs only when something is missing.
# Usage: scripts/deps.sh [--oracle] [--fuzz]
#   --oracle adds what `make test` needs: Elixir (the parser oracle) and valgrind;
#   --fuzz adds clang and its libFuzzer runtime.
set -euo pipefail
want=(build-essential make gcc pkg-config dpkg-dev libpcre2-dev)
for arg in "$@"; do
  case "$arg" in
    --oracle) want+=(elixir erlang-dev valgrind) ;;
    --fuzz) want+=(clang libclang-rt-14-dev) ;;
    *) echo "usage: scripts/deps.sh [--oracle] [--fuzz]" >&2; exit 2 ;;
  esac
done
if [[ -n "${EXS_WANT_CLANG:-}" ]]; then want+=(clang libclang-rt-14-dev); fi
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}" >&2
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
