package netcheck_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/checks/netcheck"
)

// BenchmarkBlackHoled runs N black-holed endpoints (they accept TCP and never
// answer) concurrently, as diagnose does, and one by one, and reports both
// and their ratio:
//
//	go test -run '^$' -bench BlackHoled -benchtime 3x ./checks/netcheck
func BenchmarkBlackHoled(b *testing.B) {
	const n = 8
	timeout := 200 * time.Millisecond
	p := newPKI(b)
	var targets []netcheck.Target
	for range n {
		targets = append(targets, netcheck.Target{Service: "msign", Name: "MSign", Env: "test", URL: blackHoleB(b), ClientAuth: true})
	}
	opt := netcheck.Options{Targets: targets, Roots: p.roots, Timeout: timeout,
		Proxy: func(*url.URL) (*url.URL, error) { return nil, nil }}
	var conc, seq time.Duration
	for b.Loop() {
		start := time.Now()
		netcheck.Run(context.Background(), opt)
		conc += time.Since(start)
		o := opt
		o.Sequential = true
		start = time.Now()
		netcheck.Run(context.Background(), o)
		seq += time.Since(start)
	}
	b.ReportMetric(float64(conc.Milliseconds())/float64(b.N), "concurrent-ms/run")
	b.ReportMetric(float64(seq.Milliseconds())/float64(b.N), "one-by-one-ms/run")
	b.ReportMetric(float64(seq)/float64(conc), "ratio")
	b.ReportMetric(float64(conc)/float64(b.N)/float64(timeout), "timeouts/run")
}
