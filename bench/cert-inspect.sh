#!/usr/bin/env bash
# Times `egovsetup cert inspect` on a .pfx against what the same look costs
# with OpenSSL (`openssl pkcs12 -nokeys | openssl x509 -noout -text`), and
# reports egovsetup's peak memory.
#
#   bench/cert-inspect.sh [FILE.pfx PASSWORD] [RUNS]
#
# Without a file it makes a throwaway RSA 2048 .pfx (AES-256/PBKDF2, OpenSSL
# 3's defaults) in a temporary folder. Prints the median of RUNS (default 21)
# wall-clock times for each, their ratio, and the peak RSS of one run.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${3:-21}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [[ $# -ge 2 ]]; then
  pfx=$1; pass=$2
else
  pfx=$tmp/bench.pfx; pass=bench-password
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/k.pem" -out "$tmp/c.pem" \
    -days 730 -subj "/C=MD/O=Bench/CN=bench.example.md" \
    -addext "extendedKeyUsage=serverAuth,clientAuth" 2>/dev/null
  openssl pkcs12 -export -inkey "$tmp/k.pem" -in "$tmp/c.pem" -out "$pfx" -passout "pass:$pass"
  rm -f "$tmp/k.pem"
fi

go build -o "$tmp/egovsetup" .
printf '%s' "$pass" > "$tmp/pass"

# median_ms CMD...: run CMD $runs times, print the median wall time in ms.
median_ms() {
  local times=()
  for ((i = 0; i < runs; i++)); do
    local s e
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    e=$(date +%s%N)
    times+=($(((e - s) / 1000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f\n", a[int((NR+1)/2)]/1000}'
}

egov() { "$tmp/egovsetup" cert inspect "$pfx" --password-file "$tmp/pass"; }
ossl() {
  openssl pkcs12 -in "$pfx" -nokeys -passin "file:$tmp/pass" 2>/dev/null |
    openssl x509 -noout -text
}

e=$(median_ms egov)
o=$(median_ms ossl)
rss=$( (/usr/bin/time -f '%M' "$tmp/egovsetup" cert inspect "$pfx" --password-file "$tmp/pass" 2>&1 >/dev/null || true) | tail -1)

echo "file:                    $pfx"
echo "runs:                    $runs"
echo "egovsetup cert inspect:  ${e} ms (median)"
echo "openssl pkcs12 | x509:   ${o} ms (median)"
awk -v e="$e" -v o="$o" 'BEGIN { printf "ratio openssl/egovsetup: %.2fx\n", o / e }'
echo "egovsetup peak RSS:      $((rss / 1024)) MiB (${rss} KiB; target < 30 MiB)"
