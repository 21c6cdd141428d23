#!/usr/bin/env bash
# Compares commands in interleaved rounds: each round runs every command
# (3 runs after a warm-up, hyperfine -N, the fastest kept), so a change in
# the machine's load hits them all alike. Prints, per command, the median of
# the rounds and the fastest round, in ms.
#
#   bench/ab.sh ROUNDS 'CMD A' 'CMD B' ...
#   CPU=1 bench/ab.sh ...   also the median of the rounds' CPU time (user +
#                           system, mean of the round's runs), which other
#                           work on the machine disturbs less than wall time
#
# e.g. two builds on the same file:
#   git archive main | tar -x -C /tmp/main && (cd /tmp/main && go build -o /tmp/before .)
#   go build -o /tmp/after .
#   bench/ab.sh 25 '/tmp/before cert inspect x.cer' '/tmp/after cert inspect x.cer'
set -euo pipefail
command -v hyperfine >/dev/null && command -v jq >/dev/null || { echo "bench/ab.sh needs hyperfine and jq" >&2; exit 2; }
rounds=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
declare -A times cpu
for ((r = 0; r < rounds; r++)); do
  for c in "$@"; do
    hyperfine -N -i --style none --warmup 1 --runs 3 --export-json "$tmp/h.json" "$c" >/dev/null 2>&1
    times[$c]+="$(jq '.results[0].min * 1000' "$tmp/h.json") "
    cpu[$c]+="$(jq '(.results[0].user + .results[0].system) * 1000' "$tmp/h.json") "
  done
done
for c in "$@"; do
  # shellcheck disable=SC2086
  cpums=$(printf '%s\n' ${cpu[$c]} | sort -g | awk '{ a[NR] = $1 } END { printf "%.2f", a[int((NR + 1) / 2)] }')
  # shellcheck disable=SC2086
  printf '%s\n' ${times[$c]} | sort -g |
    awk -v c="$c" -v cpu="${CPU:+$cpums}" '{ a[NR] = $1 } END {
      printf "%8.2f ms median %8.2f ms fastest%s  %s\n", a[int((NR + 1) / 2)], a[1], (cpu == "" ? "" : sprintf(" %7.2f ms CPU", cpu)), c }'
done
echo "rounds: $rounds; load $(cut -d' ' -f1-3 /proc/loadavg)"
