#!/usr/bin/env bash
# What the linker's method retention costs egovsetup: the size of the binary,
# the peak RSS and the start-up time of `--version` and `cert inspect`, built
# as the release script builds it and built again with text/template's one
# call of reflect.Value.MethodByName given a constant name (a Go -overlay of
# text/template/exec.go, for this measurement only: templates that call
# methods do not work in that build).
#
# While a call of MethodByName with a name known only at run time is
# reachable, the Go linker keeps every exported method of every type that is
# stored in an interface, used or not. text/template makes that call, and
# go-i18n's Localizer (pinned) always links text/template's executor, so
# egovsetup cannot leave it out.
#
#   bench/method-retention.sh [RUNS]   (default 21; peak RSS is the median of RUNS runs,
#                                       times the interleaved rounds of bench/ab.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-21}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

exec_go=$(go env GOROOT)/src/text/template/exec.go
grep -q 'ptr.MethodByName(fieldName)' "$exec_go" || {
  echo "bench/method-retention.sh: $exec_go no longer calls ptr.MethodByName(fieldName)" >&2
  exit 2
}
sed 's/ptr.MethodByName(fieldName)/ptr.MethodByName("Fixed")/' "$exec_go" >"$tmp/exec.go"
printf '{"Replace":{"%s":"%s"}}\n' "$exec_go" "$tmp/exec.go" >"$tmp/overlay.json"

flags=(-trimpath -ldflags "-s -w")
CGO_ENABLED=0 go build "${flags[@]}" -o "$tmp/egovsetup" .
CGO_ENABLED=0 go build "${flags[@]}" -overlay "$tmp/overlay.json" -o "$tmp/egovsetup-no-retention" .

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/k.pem" -out "$tmp/c.pem" -days 30 \
  -subj "/CN=bench.example.md" 2>/dev/null
openssl x509 -in "$tmp/c.pem" -outform DER -out "$tmp/c.cer"

rss() { # median peak RSS in MB of RUNS runs of "$@"
  for ((i = 0; i < runs; i++)); do /usr/bin/time -f %M "$@" 2>&1 >/dev/null </dev/null | tail -1; done |
    sort -n | awk '{ a[NR] = $1 } END { printf "%.1f MB", a[int((NR + 1) / 2)] / 1000 }'
}
for b in egovsetup egovsetup-no-retention; do
  size=$(stat -c %s "$tmp/$b" | awk '{ printf "%.1f MB", $1 / 1000000 }')
  printf '%-24s binary %s; peak RSS: --version %s, cert inspect .cer %s\n' "$b" "$size" \
    "$(rss "$tmp/$b" --version)" "$(rss "$tmp/$b" cert inspect "$tmp/c.cer")"
done
bench/ab.sh "$runs" "$tmp/egovsetup --version" "$tmp/egovsetup-no-retention --version" \
  "$tmp/egovsetup cert inspect $tmp/c.cer" "$tmp/egovsetup-no-retention cert inspect $tmp/c.cer"
