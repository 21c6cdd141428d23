package netcheck

import (
	"fmt"
	"io"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/internal/textwrap"
)

// WriteText writes results as plain text in lang: a heading per target, a
// line per step, the remedy under each failure, and a closing summary.
// Nothing is wrapped (the package's and the support bundle's files).
func WriteText(w io.Writer, results []Result, lang string) { WriteTextWidth(w, results, lang, 0) }

// WriteTextWidth is WriteText wrapped between words to width columns (a
// terminal's width; 0: not wrapped): what `diagnose` prints. A step's
// message and remedy go on under their own first word.
func WriteTextWidth(w io.Writer, results []Result, lang string, width int) {
	// The first line names the cause and its remedy.
	if v, ok := Verdict(results); ok && v.Cause == causeResolver {
		// Not one service's fault: this machine's.
		fmt.Fprintln(w, textwrap.Wrap(assets.T(lang, "net.verdict.machine", "Message", v.Message, "Remedy", v.Remedy), width))
		fmt.Fprintln(w)
	} else if ok {
		fmt.Fprintln(w, textwrap.Wrap(assets.T(lang, "net.verdict", "Service", serviceName(v), "Env", assets.EnvText(v.Env),
			"Message", v.Message, "Remedy", v.Remedy), width))
		fmt.Fprintln(w)
	} else if len(results) > 0 {
		fmt.Fprintln(w, textwrap.Wrap(assets.T(lang, "net.verdict.ok"), width))
		fmt.Fprintln(w)
	}
	last := ""
	failed := 0
	for _, r := range results {
		if key := r.Service + "|" + r.Env + "|" + r.Target; key != last {
			if last != "" {
				fmt.Fprintln(w)
			}
			fmt.Fprintln(w, textwrap.Wrap(assets.T(lang, "net.heading", "Service", serviceName(r), "Env", assets.EnvText(r.Env), "Target", r.Target), width))
			last = key
		}
		fmt.Fprintln(w, textwrap.Hang(fmt.Sprintf("  %s %-5s  ", r.Status.Label(lang), r.Step), r.Message.In(lang), width))
		if !r.Remedy.IsZero() && r.Status != checks.Pass {
			fmt.Fprintln(w, textwrap.Hang("                      → ", r.Remedy.In(lang), width))
		}
		if r.Status == checks.Fail {
			failed++
		}
	}
	fmt.Fprintln(w)
	if failed > 0 {
		fmt.Fprintln(w, textwrap.Wrap(assets.T(lang, "net.summary.fail", "Count", failed), width))
	} else {
		fmt.Fprintln(w, textwrap.Wrap(assets.T(lang, "net.summary.ok"), width))
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
