//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/hinshun/vt10x"
)

// BenchmarkFirstScreen measures how long after launch the wizard's first
// screen is drawn: the binary starts in a pseudo terminal with no saved
// answers, and the clock stops when the terminal emulator shows the first
// question. It reports the median (ms/first-screen); the target is 40 ms.
//
//	go test -run '^$' -bench FirstScreen -benchtime 20x .
func BenchmarkFirstScreen(b *testing.B) {
	for _, tc := range []struct {
		name, lang, want string
		args             []string
	}{
		{"en", "en", "Which platforms will the system use?", nil},
		{"ru", "ru", "Какие платформы будет использовать система?", nil},
		// --demo: the demonstration certificate's RSA key is made once the
		// first frame is written, so it must not delay that frame.
		{"demo", "en", "Which platforms will the system use?", []string{"--demo"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			bin := os.Getenv("EGOVSETUP_BENCH_BIN")
			if bin == "" {
				bin = binary(b)
			}
			var times []time.Duration
			for b.Loop() {
				times = append(times, firstScreen(b, bin, tc.lang, tc.want, tc.args...))
			}
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "ms/first-screen")
		})
	}
}

func firstScreen(b *testing.B, bin, lang, want string, args ...string) time.Duration {
	dir := b.TempDir()
	cmd := exec.Command(bin, append([]string{"--lang", lang}, args...)...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=", "LC_MESSAGES=",
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "HOME="+dir)
	start := time.Now()
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 30, Cols: 100})
	if err != nil {
		b.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		f.Close()
	}()
	vt := vt10x.New(vt10x.WithSize(100, 30), vt10x.WithWriter(f))
	buf := make([]byte, 64<<10)
	for time.Since(start) < 10*time.Second {
		n, err := f.Read(buf)
		if n > 0 {
			vt.Write(buf[:n])
			if strings.Contains(vt.String(), want) {
				return time.Since(start)
			}
		}
		if err != nil {
			break
		}
	}
	b.Fatalf("the first screen never showed %q:\n%s", want, vt.String())
	return 0
}
