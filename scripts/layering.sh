#!/usr/bin/env bash
# layering.sh: checks the include layering of ../shared/STYLE.md:
#   base <- ast <- parse <- analyze <- store <- query <- sync <- server, cli
# A file may include headers of its own layer and of layers to its left; base/ knows
# nothing of Elixir (it may include only exscope.h for status codes); cli/ and server/
# use only the public exscope.h. Prints each violation; exit 1 if any.
set -u
cd "$(dirname "$0")/.."
layers=(base ast parse analyze store query sync server cli)
rank() { local i; for i in "${!layers[@]}"; do [ "${layers[$i]}" = "$1" ] && echo "$i" && return; done; echo -1; }
bad=0
for f in $(find src -name '*.[ch]' | sort); do
  dir=${f#src/}; dir=${dir%%/*}
  me=$(rank "$dir")
  while IFS= read -r inc; do
    case $inc in
      exscope.h) continue ;;
      */*) target=${inc##*../}; target=${target%%/*} ;;
      *) continue ;; # same directory
    esac
    if [ "$dir" = cli ] || [ "$dir" = server ]; then
      echo "layering: $f includes $inc (cli/ and server/ use only exscope.h)"; bad=1; continue
    fi
    them=$(rank "$target")
    if [ "$them" -lt 0 ] || [ "$them" -gt "$me" ]; then
      echo "layering: $f ($dir) includes $inc ($target)"; bad=1
    fi
  done < <(sed -n 's/^#include "\(.*\)"/\1/p' "$f")
done
[ $bad -eq 0 ] && echo "layering: ok"
exit $bad
