#!/usr/bin/env bash
# Measures egovsetup against the fastest peer for each command, on the same
# inputs, in one run, and prints a table of medians and their ratios next to
# the targets (issue 14):
#
#   --version                     Go hello-world binary (built here)   <= 2.0x
#     (and, for scale, that hello-world linking the pinned libraries)
#   cert inspect .cer / PEM / 3DES .pfx   certigo dump                 <= 1.0x
#   cert inspect AES .pfx         openssl pkcs12 -nokeys | openssl x509 <= 0.3x
#   cert export 600k-iteration .pfx  openssl pkcs12 -nokeys            <= 1.0x
#   diagnose, one healthy mTLS endpoint on 127.0.0.1   curl            <= 1.0x
#   peak RSS of cert inspect                                           <= 10 MB
#   wizard's first screen (en, ru, --demo), pty benchmark              <= 40 ms
#
#   bench/compare.sh [RUNS] [ROWS]  (default 31 runs per command; ROWS, a
#                                    regular expression, keeps only the rows
#                                    whose label matches, e.g. diagnose)
#   BASELINE=/path/to/egovsetup bench/compare.sh ...
#                                   adds, under each row, the same command
#                                   run by that (e.g. an earlier) binary
#   CPU=1 bench/compare.sh ...     also prints each command's mean CPU time
#                                   (user + system, from hyperfine), which a
#                                   busy machine disturbs less than wall time
#
# Peers: certigo is built from its Go module at the pinned version below;
# curl and openssl come from the system. Times are medians of RUNS wall-clock
# runs (hyperfine when installed, else a loop with date +%s%N), with the
# ratio of the fastest runs beside them; peak RSS is
# /usr/bin/time -f %M of one run. Everything is made in a temporary folder
# and the only server is a small Go HTTPS server on 127.0.0.1 built by the
# script.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

runs=${1:-31}
only=${2:-}
certigo_version=v1.16.0 # go list -m -versions github.com/square/certigo
tmp=$(mktemp -d)
server_pid=""
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

need() { command -v "$1" >/dev/null || { echo "bench/compare.sh needs $1" >&2; exit 2; }; }
need openssl
need curl

echo "building egovsetup, a hello-world and certigo $certigo_version ..." >&2
# Both built as the release script builds: static, stripped, -trimpath.
release_flags=(-trimpath -ldflags "-s -w")
CGO_ENABLED=0 go build "${release_flags[@]}" -o "$tmp/egovsetup" .
mkdir "$tmp/hello"
cat >"$tmp/hello/main.go" <<'EOF'
package main

import "fmt"

func main() { fmt.Println("hello") }
EOF
(cd "$tmp/hello" && go mod init hello >/dev/null 2>&1 && CGO_ENABLED=0 go build "${release_flags[@]}" -o "$tmp/hello-go" .)
# The floor under --version: the same hello-world linking the libraries the
# project pins (at egovsetup's versions), so it runs their package
# initialisers, as every egovsetup command must, and nothing else.
mkdir "$tmp/floor"
cat >"$tmp/floor/main.go" <<'EOF'
package main

import (
	"fmt"

	_ "charm.land/bubbles/v2/textarea"
	_ "charm.land/bubbletea/v2"
	_ "charm.land/huh/v2"
	_ "charm.land/lipgloss/v2"
	_ "github.com/nicksnyder/go-i18n/v2/i18n"
	_ "github.com/spf13/cobra"
	_ "github.com/wneessen/go-mail"
	_ "software.sslmate.com/src/go-pkcs12"
)

func main() { fmt.Println("hello") }
EOF
sed 's/^module .*/module floor/' go.mod >"$tmp/floor/go.mod"
cp go.sum "$tmp/floor/"
(cd "$tmp/floor" && CGO_ENABLED=0 go build "${release_flags[@]}" -o "$tmp/floor-go" .)
certigo=$tmp/certigo
if ! GOBIN=$tmp go install "github.com/square/certigo@$certigo_version" >/dev/null 2>&1; then
  # `go install` also asks the proxy for the module's version list, which a
  # proxy may refuse; the module itself downloads and builds all the same.
  dir=$(go mod download -json "github.com/square/certigo@$certigo_version" | jq -r .Dir)
  (cd "$dir" && go build -o "$certigo" .) >/dev/null 2>&1 || certigo=""
fi

echo "making the inputs ..." >&2
cd "$tmp"
pass=bench-password
printf '%s' "$pass" >pass
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
  -days 3650 -subj "/C=MD/O=Bench/CN=Bench CA" -addext "basicConstraints=critical,CA:true" 2>/dev/null
leaf() { # leaf NAME SUBJECT EXT
  openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
  printf '%s\n' "$3" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 730 \
    -extfile "$1.ext" -out "$1.pem" 2>/dev/null
}
leaf system "/C=MD/O=Bench/CN=bench.example.md" "extendedKeyUsage=serverAuth,clientAuth"
leaf server "/CN=127.0.0.1" "subjectAltName=IP:127.0.0.1
extendedKeyUsage=serverAuth"
openssl x509 -in system.pem -outform DER -out system.cer
cat system.pem ca.pem >bundle.pem
openssl pkcs12 -export -inkey system.key -in system.pem -certfile ca.pem -out aes.pfx -passout "pass:$pass"
openssl pkcs12 -export -inkey system.key -in system.pem -certfile ca.pem -out 3des.pfx -passout "pass:$pass" \
  -certpbe PBE-SHA1-3DES -keypbe PBE-SHA1-3DES -macalg sha1
openssl pkcs12 -export -inkey system.key -in system.pem -certfile ca.pem -out 600k.pfx -passout "pass:$pass" \
  -iter 600000
# A healthy MSign stand-in on 127.0.0.1: TLS with a client certificate
# required, 200 for GET and POST alike.
mkdir "$tmp/server"
cat >"$tmp/server/main.go" <<'EOF'
package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
)

func main() {
	pool := x509.NewCertPool()
	ca, _ := os.ReadFile("ca.pem")
	pool.AppendCertsFromPEM(ca)
	cert, err := tls.LoadX509KeyPair("server.pem", "server.key")
	if err != nil {
		panic(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert},
		ClientCAs: pool, ClientAuth: tls.RequireAndVerifyClientCert})
	if err != nil {
		panic(err)
	}
	fmt.Println(ln.Addr().(*net.TCPAddr).Port)
	os.Stdout.Close()
	http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, "<ok/>")
	}))
}
EOF
(cd "$tmp/server" && go mod init server >/dev/null 2>&1 && go build -o "$tmp/server-bin" .)
"$tmp/server-bin" >port &
server_pid=$!
for _ in $(seq 50); do [[ -s port ]] && break; sleep 0.1; done
port=$(cat port)
export XDG_CONFIG_HOME=$tmp/config LANG=C.UTF-8 NO_COLOR=1

# times_ms CMD: the median and the fastest wall time of CMD over $runs runs,
# in ms. On a busy machine the fastest run is the one least disturbed, so
# the table shows its ratio too.
times_ms() {
  if command -v hyperfine >/dev/null; then
    local shell=(-N)
    [[ $1 == *"|"* ]] && shell=()
    hyperfine "${shell[@]}" -i --style none --warmup 3 --runs "$runs" --export-json h.json "$1" >/dev/null 2>&1
    [[ -n ${CPU:-} ]] && jq -r '.results[0] | "  cpu \((.user + .system) * 1000 * 100 | round / 100) ms (user + system, mean): \(.command)"' h.json >&2
    jq -r '"\(.results[0].median * 1000) \(.results[0].min * 1000)"' h.json
  else
    local times=() s e
    for ((i = 0; i < runs; i++)); do
      s=$(date +%s%N)
      bash -c "$1" >/dev/null 2>&1 || true
      e=$(date +%s%N)
      times+=($(((e - s) / 1000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f %.3f\n", a[int((NR+1)/2)]/1000, a[1]/1000}'
  fi
}

printf '%-44s %9s %9s %7s %9s %8s  %s\n' "command" "egovsetup" "peer" "ratio" "min ratio" "target" "peer"
ratios() { # ratios LABEL "MEDIAN MIN" "PEER-MEDIAN PEER-MIN" TARGET PEER-NAME [misses]
  awk -v l="$1" -v e="$2" -v p="$3" -v t="$4" -v n="$5" -v say="${6:-}" \
    'BEGIN { split(e, E, " "); split(p, P, " "); r = E[1] / P[1]; m = E[2] / P[2]
      printf "%-44s %7.2fms %7.2fms %6.2fx %8.2fx %8s  %s%s\n", l, E[1], P[1], r, m, "<= " t "x", n, (say == "" || r <= t ? "" : "  (misses)") }'
}
row() { # row LABEL TARGET PEER-NAME EGOV-CMD PEER-CMD
  local e p
  [[ -n $only && ! $1 =~ $only ]] && return
  e=$(times_ms "$4")
  if [[ -z $5 ]]; then
    printf '%-44s %7.2fms %9s %7s %9s %8s  %s\n' "$1" "${e%% *}" "-" "-" "-" "$2" "$3 (not available)"
    return
  fi
  p=$(times_ms "$5")
  ratios "$1" "$e" "$p" "$2" "$3" misses
  if [[ -n ${BASELINE:-} ]]; then
    e=$(times_ms "${4/#$E/$BASELINE}")
    ratios "  baseline" "$e" "$p" "$2" "$3"
  fi
}
E=$tmp/egovsetup
C=${certigo:+"$certigo dump"}
pw="--password-file $tmp/pass"
for lang in en ro ru; do
  row "--version --lang $lang" 2.0 "Go hello-world" "$E --version --lang $lang" "$tmp/hello-go"
done
row "  floor: hello-world + pinned libraries" 2.0 "Go hello-world" "$tmp/floor-go" "$tmp/hello-go"
row "cert inspect system.cer (DER)" 1.0 "certigo dump" "$E cert inspect system.cer" "${C:+$C system.cer}"
row "cert inspect bundle.pem (leaf + CA)" 1.0 "certigo dump" "$E cert inspect bundle.pem" "${C:+$C bundle.pem}"
row "cert inspect 3des.pfx (legacy, SHA-1 MAC)" 1.0 "certigo dump" "$E cert inspect 3des.pfx $pw" "${C:+$C --password $pass 3des.pfx}"
row "cert inspect aes.pfx (AES-256, PBKDF2)" 0.3 "openssl pkcs12 | x509" "$E cert inspect aes.pfx $pw" \
  "openssl pkcs12 -in aes.pfx -nokeys -passin file:pass | openssl x509 -noout -text"
rm -f out.cer
row "cert export 600k.pfx (600,000 iterations)" 1.0 "openssl pkcs12 -nokeys" \
  "$E cert export 600k.pfx $pw -o $tmp/out.cer --force" "openssl pkcs12 -in 600k.pfx -nokeys -passin file:pass -out $tmp/out.pem"
row "diagnose msign, one mTLS endpoint" 1.0 "curl, same request" \
  "$E diagnose --service msign --endpoint msign=https://127.0.0.1:$port --ca ca.pem --cert aes.pfx $pw" \
  "curl -s -o /dev/null --cacert ca.pem --cert system.pem --key system.key https://127.0.0.1:$port/MSign.svc?singleWsdl"

for f in system.cer bundle.pem "aes.pfx $pw"; do
  [[ -n $only && ! "peak RSS" =~ $only ]] && break
  # shellcheck disable=SC2086
  kb=$( (/usr/bin/time -f '%M' $E cert inspect $f 2>&1 >/dev/null || true) | tail -1)
  printf 'peak RSS of cert inspect %-28s %6.1f MB (target <= 10 MB)\n' "${f%% *}" "$(awk -v k="$kb" 'BEGIN{print k/1024}')"
done
if [[ -z $only || "peak RSS" =~ $only ]]; then
  for b in "$E --version" "$tmp/floor-go" "$tmp/hello-go" ${certigo:+"$certigo dump system.cer"}; do
    # shellcheck disable=SC2086
    kb=$( (/usr/bin/time -f '%M' $b 2>&1 >/dev/null || true) | tail -1)
    printf 'peak RSS of %-41s %6.1f MB\n' "${b#"$tmp/"}" "$(awk -v k="$kb" 'BEGIN{print k/1024}')"
  done
fi
# The wizard's first screen, drawn in a pseudo terminal (firstscreen_bench_test.go).
if [[ -z $only || "wizard first screen" =~ $only ]]; then
  (cd "$repo" && go test -run '^$' -bench FirstScreen -benchtime 10x . 2>/dev/null) |
    awk '/ms\/first-screen/ { n = $1; sub(/^BenchmarkFirstScreen\//, "", n); sub(/-[0-9]+$/, "", n)
      printf "wizard first screen, %-28s %6.1f ms (target <= 40 ms)\n", n, $(NF-1) }'
fi
echo "runs per command: $runs; $(go version | cut -d' ' -f3); $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg)"
