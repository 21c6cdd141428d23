//go:build unix

package cli

import (
	"bytes"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

func init() {
	// mkfifo NAME: a named pipe with no writer.
	scriptCmds["mkfifo"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 1 {
			ts.Fatalf("usage: mkfifo NAME")
		}
		ts.Check(mkfifo(ts.MkAbs(args[0])))
	}
	// rss MAXMB egovsetup ARGS...: runs the program as a child process with
	// the script's environment and folder, keeps its stderr in rss.stderr
	// (the exit code goes to exitcode as for exec), logs its peak resident
	// memory and wall time, and fails when the peak exceeds MAXMB MiB.
	scriptCmds["rss"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) < 2 || args[1] != "egovsetup" {
			ts.Fatalf("usage: rss MAXMB egovsetup ARGS...")
		}
		maxMB, err := strconv.Atoi(args[0])
		ts.Check(err)
		bin, err := exec.LookPath("egovsetup")
		ts.Check(err)
		cmd := exec.Command(bin, args[2:]...)
		cmd.Dir = ts.MkAbs(".")
		cmd.Env = []string{"EGOVSETUP_PEAK_RSS=1"}
		_ = os.Remove(ts.MkAbs(peakRSSFile))
		for _, k := range []string{"PATH", "HOME", "LANG", "XDG_CONFIG_HOME", "NO_COLOR", "EGOVSETUP_SCRIPT_TEST", "EGOVSETUP_PASSWORD", "EGOVSETUP_DATA", "TMPDIR"} {
			if v := ts.Getenv(k); v != "" {
				cmd.Env = append(cmd.Env, k+"="+v)
			}
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		start := time.Now()
		ts.Check(cmd.Start())
		// A safety net for a program that hangs, not a time budget.
		timer := time.AfterFunc(2*time.Minute, func() { _ = cmd.Process.Kill() })
		_ = cmd.Wait()
		timer.Stop()
		wall := time.Since(start)
		ts.Check(os.WriteFile(ts.MkAbs("rss.stderr"), stderr.Bytes(), 0o600))
		ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		if !ok {
			ts.Fatalf("no resource usage for the child process")
		}
		// The child's own figure where the system gives one (Linux); else
		// rusage, an upper bound that includes this test process's peak.
		peakMB, source := float64(maxRSSBytes(ru))/(1<<20), "rusage maxrss, an upper bound"
		if b, err := os.ReadFile(ts.MkAbs(peakRSSFile)); err == nil {
			if kb, err := strconv.Atoi(string(b)); err == nil {
				peakMB, source = float64(kb)/1024, "VmHWM"
			}
		}
		ts.Logf("egovsetup %s: exit %d, peak RSS %.1f MiB (%s), wall %v", strings.Join(args[2:], " "),
			cmd.ProcessState.ExitCode(), peakMB, source, wall.Round(time.Millisecond))
		if !cmd.ProcessState.Exited() {
			ts.Fatalf("egovsetup did not exit by itself: %v", cmd.ProcessState)
		}
		if peakMB > float64(maxMB) {
			ts.Fatalf("peak RSS %.1f MiB, budget %d MiB", peakMB, maxMB)
		}
	}
}
func mkfifo(path string) error { return syscall.Mkfifo(path, 0o600) }

// maxRSSBytes is the peak resident set size rusage reports: KiB on Linux,
// bytes on macOS.
func maxRSSBytes(ru *syscall.Rusage) int64 {
	if runtime.GOOS == "darwin" {
		return int64(ru.Maxrss)
	}
	return int64(ru.Maxrss) * 1024
}
