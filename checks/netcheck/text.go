package netcheck

import (
	"fmt"
	"io"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

// WriteText writes results as plain text in lang: a heading per target, a
// line per step, the remedy under each failure, and a closing summary.
func WriteText(w io.Writer, results []Result, lang string) {
	// The first line names the cause and its remedy.
	if v, ok := Verdict(results); ok && v.Cause == causeResolver {
		// Not one service's fault: this machine's.
		fmt.Fprintln(w, assets.T(lang, "net.verdict.machine", "Message", v.Message, "Remedy", v.Remedy))
		fmt.Fprintln(w)
	} else if ok {
		fmt.Fprintln(w, assets.T(lang, "net.verdict", "Service", serviceName(v), "Env", assets.Msg("env."+v.Env),
			"Message", v.Message, "Remedy", v.Remedy))
		fmt.Fprintln(w)
	} else if len(results) > 0 {
		fmt.Fprintln(w, assets.T(lang, "net.verdict.ok"))
		fmt.Fprintln(w)
	}
	last := ""
	failed := 0
	for _, r := range results {
		if key := r.Service + "|" + r.Env + "|" + r.Target; key != last {
			if last != "" {
				fmt.Fprintln(w)
			}
			fmt.Fprintln(w, assets.T(lang, "net.heading", "Service", serviceName(r), "Env", assets.Msg("env."+r.Env), "Target", r.Target))
			last = key
		}
		fmt.Fprintf(w, "  %s %-5s  %s\n", r.Status.Label(lang), r.Step, r.Message.In(lang))
		if !r.Remedy.IsZero() && r.Status != checks.Pass {
			fmt.Fprintf(w, "                      → %s\n", r.Remedy.In(lang))
		}
		if r.Status == checks.Fail {
			failed++
		}
	}
	fmt.Fprintln(w)
	if failed > 0 {
		fmt.Fprintln(w, assets.T(lang, "net.summary.fail", "Count", failed))
	} else {
		fmt.Fprintln(w, assets.T(lang, "net.summary.ok"))
	}
}

// serviceName is r's service as named by the data its target came from
// (--data included), else its ID.
func serviceName(r Result) string {
	if r.Name != "" {
		return r.Name
	}
	return r.Service
}
