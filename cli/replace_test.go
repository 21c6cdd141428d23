//go:build unix

package cli

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/export"
)

// The "egovsetup-pausing" command is egovsetup with the build stopping at
// $EGOVSETUP_PAUSE_AT (see export.BuildHooks) until a signal arrives or 60 s
// pass; $EGOVSETUP_NO_EXCHANGE=1 makes it move the old folder aside instead
// of exchanging names.
func init() {
	pausingCommand = func() {
		at := os.Getenv("EGOVSETUP_PAUSE_AT")
		export.BuildHooks.NoExchange = os.Getenv("EGOVSETUP_NO_EXCHANGE") == "1"
		export.BuildHooks.Pause = func(point string) {
			if point != at {
				return
			}
			sig := make(chan os.Signal, 1)
			signal.Notify(sig, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
			fmt.Fprintln(os.Stderr, "PAUSED "+point)
			select {
			case <-sig:
				// Let the build's own handler see the signal too.
				time.Sleep(200 * time.Millisecond)
			case <-time.After(60 * time.Second):
			}
		}
		os.Exit(Main(os.Args[1:], System()))
	}
}

// A build --force stopped at any point of replacing a package, by SIGKILL,
// SIGTERM or SIGINT, leaves a whole package at the name: the old one or the
// new one, never neither. The next run finishes or undoes the replacement,
// so folder and .zip match, and removes the temporary folder.
func TestBuildForceKilledAnywhereLeavesAWholePackage(t *testing.T) {
	example, err := os.ReadFile(filepath.Join("..", "examples", "answers-msign-mpass-test.json"))
	if err != nil {
		t.Fatal(err)
	}
	newer := bytes.Replace(example, []byte("eliberează online"), []byte("eliberează pe internet"), 1)
	if bytes.Equal(newer, example) {
		t.Fatal("the example answers changed; adjust the test")
	}
	type point struct {
		at         string
		noExchange bool
	}
	points := []point{{"written", false}, {"folder", false}, {"zip", false}, {"aside", true}, {"folder", true}}
	signals := []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM, syscall.SIGINT}
	for _, p := range points {
		for _, sig := range signals {
			name := fmt.Sprintf("%s-exchange=%v-%s", p.at, !p.noExchange, sig)
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				oldAns, newAns := filepath.Join(dir, "old.json"), filepath.Join(dir, "new.json")
				os.WriteFile(oldAns, example, 0o600)
				os.WriteFile(newAns, newer, 0o600)
				out := filepath.Join(dir, "out")
				if b, err := exec.Command("egovsetup", "build", "--answers", oldAns, "--demo", "-o", out).CombinedOutput(); err != nil {
					t.Fatalf("first build: %v\n%s", err, b)
				}
				pkg := onlyPackage(t, out)
				oldSums := readFile(t, filepath.Join(pkg, "SHA256SUMS"))

				cmd := exec.Command("egovsetup-pausing", "build", "--answers", newAns, "--demo", "-o", out, "--force")
				cmd.Env = append(os.Environ(), "EGOVSETUP_PAUSE_AT="+p.at, fmt.Sprintf("EGOVSETUP_NO_EXCHANGE=%v", map[bool]int{true: 1}[p.noExchange]))
				stderr, _ := cmd.StderrPipe()
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				paused := make(chan bool, 1)
				go func() {
					sc := bufio.NewScanner(stderr)
					for sc.Scan() {
						if sc.Text() == "PAUSED "+p.at {
							paused <- true
						}
					}
					close(paused)
				}()
				select {
				case ok := <-paused:
					if !ok {
						cmd.Wait()
						t.Fatalf("the build never reached %q", p.at)
					}
				case <-time.After(60 * time.Second):
					cmd.Process.Kill()
					t.Fatalf("the build did not reach %q in 60 s", p.at)
				}
				cmd.Process.Signal(sig)
				err := cmd.Wait()
				code := cmd.ProcessState.ExitCode()
				t.Logf("exit %d (%v)", code, err)
				if sig != syscall.SIGKILL {
					// Caught: before the replacement the build stops (130);
					// once it has begun, it is finished (0).
					want := 0
					if p.at == "written" {
						want = ExitAborted
					}
					if code != want {
						t.Errorf("exit %d after %s at %q, want %d", code, sig, p.at, want)
					}
				}

				// Right now: a whole package holds the name. Only where names
				// cannot be exchanged, a SIGKILL between moving the old folder
				// aside and renaming the new one in leaves the name empty until
				// the next run puts the old package back.
				if p.noExchange && p.at == "aside" && sig == syscall.SIGKILL {
					if _, err := os.Stat(pkg); err == nil {
						t.Errorf("the old folder was not moved aside")
					}
				} else if sums := wholePackage(t, pkg); sums != oldSums && p.at == "written" && sig != syscall.SIGKILL {
					t.Errorf("stopped before replacing, yet the package changed")
				}

				// The next run completes or undoes the replacement and cleans up.
				next := exec.Command("egovsetup", "build", "--answers", newAns, "--demo", "-o", out)
				b, _ := next.CombinedOutput()
				if next.ProcessState.ExitCode() != ExitUsage || !strings.Contains(string(b), "already exists") {
					t.Errorf("next run without --force: exit %d\n%s", next.ProcessState.ExitCode(), b)
				}
				ents, _ := os.ReadDir(out)
				var names []string
				for _, e := range ents {
					names = append(names, e.Name())
				}
				if len(names) != 2 || names[0] != filepath.Base(pkg) || names[1] != filepath.Base(pkg)+".zip" {
					t.Errorf("after the next run the folder holds %v, want the package and its .zip only", names)
				}
				sums := wholePackage(t, pkg)
				if z := sumsInZip(t, pkg+".zip", filepath.Base(pkg)); z != sums {
					t.Errorf("the .zip holds another package than the folder:\nfolder %s\nzip    %s", sums, z)
				}
			})
		}
	}
}

// onlyPackage is the one package folder in out.
func onlyPackage(t *testing.T, out string) string {
	t.Helper()
	ents, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			return filepath.Join(out, e.Name())
		}
	}
	t.Fatalf("no package in %s: %v", out, ents)
	return ""
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// wholePackage checks that every file SHA256SUMS lists in pkg is there with
// its checksum, and returns SHA256SUMS.
func wholePackage(t *testing.T, pkg string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(pkg, "SHA256SUMS"))
	if err != nil {
		t.Fatalf("no whole package at %s: %v", pkg, err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		sum, file, _ := strings.Cut(line, "  ")
		data, err := os.ReadFile(filepath.Join(pkg, filepath.FromSlash(file)))
		h := sha256.Sum256(data)
		if err != nil || hex.EncodeToString(h[:]) != sum {
			t.Errorf("%s in %s: %v (checksum mismatch or missing)", file, pkg, err)
		}
	}
	return string(b)
}

func sumsInZip(t *testing.T, path, name string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("the .zip: %v", err)
	}
	defer zr.Close()
	f, err := zr.Open(name + "/SHA256SUMS")
	if err != nil {
		t.Fatalf("the .zip has no SHA256SUMS: %v", err)
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	return string(b)
}
