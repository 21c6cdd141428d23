package export

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/egovmd/egovsetup/assets"
)

// Replacing a package is made safe against the program being killed at any
// instant (SIGKILL included):
//
//  1. The new folder and .zip are written in a temporary folder beside the
//     target, ".<name>.tmp-XXXX", locked while the build runs.
//  2. The new folder takes the target's name. Where the system can exchange
//     two names at once (Linux renameat2 RENAME_EXCHANGE, macOS RENAME_SWAP)
//     the old folder and the new one swap places in one step, so the name
//     always holds a whole package. Elsewhere the old folder is first moved
//     into the temporary folder as "old", then the new one is renamed in.
//  3. The new .zip replaces the old one (a rename over a file is atomic).
//  4. The temporary folder, holding the old package, is removed.
//
// The next build (Recover) finishes or undoes what a killed one left: it puts
// an "old" folder back if nothing holds the name, moves in a .zip left behind
// when the folder beside it is the one that .zip holds, and removes the
// temporary folder.

// tmpMarker separates a package name from the random part of its temporary
// folder's name.
const tmpMarker = ".tmp-"

// asideName is where the old folder waits inside the temporary folder when
// the system cannot exchange two names at once.
const asideName = "old"

// errNoExchange means the system or file system cannot exchange two names.
var errNoExchange = errors.New("exchanging two names is not supported here")

// BuildHooks let tests stop a build at a given point and choose the
// replacement method. Pause, when set, is called with "written" (the new
// package is complete in the temporary folder), "aside" (the old folder was
// moved aside), "folder" (the new folder holds the name) and "zip" (the new
// .zip holds its name). NoExchange makes the build move the old folder aside
// instead of exchanging names.
var BuildHooks struct {
	Pause      func(point string)
	NoExchange bool
}

func pause(point string) {
	if BuildHooks.Pause != nil {
		BuildHooks.Pause(point)
	}
}

// ReplaceError says the new package could not take the place of the one at
// Path; the old package is left as it was.
type ReplaceError struct {
	Path string
	Err  error
}

func (e *ReplaceError) Error() string { return e.In(assets.DefaultLang) }
func (e *ReplaceError) Unwrap() error { return e.Err }

// In renders the error in lang, naming the path once and the system's reason
// in words where it is a common one.
func (e *ReplaceError) In(lang string) string {
	return assets.T(lang, "package.replace_failed", "Path", e.Path, "Reason", reason(e.Err))
}

// reason is why the system refused a file operation, without the paths the
// error repeats: in words for a refused permission or a full disk, else the
// system's own text.
func reason(err error) any {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return assets.Msg("package.reason.permission")
	case errors.Is(err, syscall.ENOSPC):
		return assets.Msg("package.reason.no_space")
	}
	var (
		pe *fs.PathError
		le *os.LinkError
	)
	switch {
	case errors.As(err, &le):
		return le.Err.Error()
	case errors.As(err, &pe):
		return pe.Err.Error()
	}
	return err.Error()
}

// swapIn puts the package built in tmp at target and target+".zip",
// replacing what is there. On an error, a *ReplaceError, the old package is
// left in place.
func swapIn(tmp, name, target string) error {
	if err := swap(tmp, name, target); err != nil {
		return &ReplaceError{Path: target, Err: err}
	}
	return nil
}

func swap(tmp, name, target string) error {
	newDir := filepath.Join(tmp, name)
	newZip := filepath.Join(tmp, name+".zip")
	zipPath := target + ".zip"
	had := exists(target)
	aside := ""
	switch {
	case !had:
		if err := os.Rename(newDir, target); err != nil {
			return err
		}
	default:
		err := errNoExchange
		if !BuildHooks.NoExchange {
			err = exchange(newDir, target)
		}
		if errors.Is(err, errNoExchange) {
			aside = filepath.Join(tmp, asideName)
			if err := os.Rename(target, aside); err != nil {
				return err
			}
			pause("aside")
			if err := os.Rename(newDir, target); err != nil {
				_ = os.Rename(aside, target)
				return err
			}
		} else if err != nil {
			return err
		}
	}
	pause("folder")
	if err := os.Rename(newZip, zipPath); err != nil {
		// Put the old folder back, so that folder and .zip still match.
		switch {
		case !had:
			_ = os.RemoveAll(target)
		case aside != "":
			_ = os.Rename(target, newDir)
			_ = os.Rename(aside, target)
		default:
			_ = exchange(newDir, target)
		}
		return err
	}
	pause("zip")
	return nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// Recovery is one thing Recover did about a build that was stopped.
type Recovery struct {
	// What: "restored" (the old folder was put back at Path), "completed"
	// (the new .zip was moved to Path beside its folder) or "removed" (a
	// temporary folder at Path was deleted).
	What string
	Path string
}

// In renders the recovery in lang.
func (r Recovery) In(lang string) string {
	switch r.What {
	case "restored":
		return assets.T(lang, "package.recovered.restored", "Path", r.Path)
	case "completed":
		return assets.T(lang, "package.recovered.completed", "Path", r.Path)
	}
	return assets.T(lang, "package.recovered.removed", "Path", r.Path)
}

// Recover finishes or undoes what builds stopped in outDir left behind (see
// the comment at the top of this file) and removes their temporary folders.
// A temporary folder still locked by a running build is left alone.
func Recover(outDir string) []Recovery {
	if outDir == "" {
		outDir = "."
	}
	ents, err := os.ReadDir(outDir)
	if err != nil {
		return nil
	}
	var out []Recovery
	for _, e := range ents {
		base := e.Name()
		i := strings.LastIndex(base, tmpMarker)
		if !e.IsDir() || !strings.HasPrefix(base, ".") || i < 2 {
			continue
		}
		name := base[1:i]
		tmp := filepath.Join(outDir, base)
		unlock, ok := tryLock(tmp)
		if !ok {
			continue // a build is running there
		}
		out = append(out, recoverOne(tmp, name, filepath.Join(outDir, name))...)
		unlock()
		if err := os.RemoveAll(tmp); err == nil {
			out = append(out, Recovery{What: "removed", Path: tmp})
		}
	}
	return out
}

func recoverOne(tmp, name, target string) []Recovery {
	aside := filepath.Join(tmp, asideName)
	if !exists(target) && exists(aside) {
		// Stopped between moving the old folder aside and renaming the new
		// one in: the old package goes back, matching its .zip.
		if err := os.Rename(aside, target); err == nil {
			return []Recovery{{What: "restored", Path: target}}
		}
		return nil
	}
	newZip := filepath.Join(tmp, name+".zip")
	zipPath := target + ".zip"
	if !exists(newZip) || !exists(target) {
		return nil
	}
	// Stopped after the new folder took the name, before its .zip did: the
	// .zip left behind is the one that matches the folder now in place.
	sums, err := os.ReadFile(filepath.Join(target, "SHA256SUMS"))
	if err != nil {
		return nil
	}
	if zipSums(newZip, name) == nil || !bytes.Equal(zipSums(newZip, name), sums) || bytes.Equal(zipSums(zipPath, name), sums) {
		return nil
	}
	if err := os.Rename(newZip, zipPath); err == nil {
		return []Recovery{{What: "completed", Path: zipPath}}
	}
	return nil
}

// zipSums is the SHA256SUMS file inside the package .zip at path (nil if it
// cannot be read).
func zipSums(path, name string) []byte {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name != name+"/SHA256SUMS" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, 1<<20))
		if err != nil {
			return nil
		}
		return b
	}
	return nil
}
