package checks

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/egovmd/egovsetup/internal/safefile"
)

// FileProblem says in words why the file at path could not be read, for the
// refusals every reader shares: a path that is not a regular file (a folder,
// a FIFO, a device such as /dev/zero, a socket), symbolic links that loop,
// a file over the reader's size cap, a missing or forbidden file, and any
// other error the system gives. It returns nil for a nil err.
func FileProblem(path string, err error) *Problem {
	var (
		nr *safefile.NotRegularError
		tl *safefile.TooLargeError
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &nr):
		return Problemf(notRegularKey(nr.Kind), "File", path).Wrap(err)
	case errors.Is(err, safefile.ErrSymlinkLoop), errors.Is(err, syscall.ELOOP):
		return Problemf("file.symlink_loop", "File", path).Wrap(err)
	case errors.As(err, &tl):
		return Problemf("file.too_large", "File", path, "Max", byteSize(tl.Max)).Wrap(err)
	case errors.Is(err, fs.ErrNotExist):
		return Problemf("file.missing", "File", path).Wrap(err)
	case errors.Is(err, fs.ErrPermission):
		return Problemf("file.permission", "File", path).Wrap(err)
	}
	// Some kinds fail at open itself (a Unix socket: "no such device or
	// address"); a stat, which never blocks, names them.
	if fi, serr := os.Stat(path); serr == nil && !fi.Mode().IsRegular() {
		return Problemf(notRegularKey(safefile.Kind(fi.Mode())), "File", path).Wrap(err)
	}
	return Problemf("file.read_failed", "File", path, "Err", withoutPath(err, path)).Wrap(err)
}

// withoutPath is the system's reason for err without the path the message
// names already: a *fs.PathError's own error, or the text with every
// "path: " taken out ("read x.cer: x.cer: bad" becomes "bad").
func withoutPath(err error, path string) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	detail := err.Error()
	if path == "" {
		return detail
	}
	for _, op := range []string{"open ", "read ", "stat ", "lstat ", ""} {
		detail = strings.ReplaceAll(detail, op+path+": ", "")
	}
	return detail
}

func notRegularKey(kind string) string {
	switch kind {
	case "folder":
		return "file.folder"
	case "named pipe (FIFO)":
		return "file.fifo"
	case "device":
		return "file.device"
	case "socket":
		return "file.socket"
	}
	return "file.special"
}

// byteSize writes a cap in the largest whole unit: 1 MiB, 64 KiB, 100 bytes.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
