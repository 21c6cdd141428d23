// Package safefile reads the files a user names — certificates, password
// files, answers, data, CA bundles — without blocking and without growing
// without bound: anything that is not a regular file (a FIFO, a device such as
// /dev/zero, a socket, a folder) is refused before a byte is read, and a
// regular file is read up to a size cap.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// NotRegularError says that a path names something other than a regular file.
type NotRegularError struct {
	Path string
	Kind string // "folder", "named pipe (FIFO)", "device", "socket", "special file"
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s: is a %s, not a regular file", e.Path, e.Kind)
}

// TooLargeError says that a file is larger than the reader accepts.
type TooLargeError struct {
	Path string
	Max  int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s: larger than %d bytes", e.Path, e.Max)
}

// ErrSymlinkLoop is wrapped when a path's symbolic links point at each other.
var ErrSymlinkLoop = errors.New("too many levels of symbolic links")

// Kind names what mode describes, for NotRegularError.
func Kind(mode fs.FileMode) string {
	switch {
	case mode.IsDir():
		return "folder"
	case mode&fs.ModeNamedPipe != 0:
		return "named pipe (FIFO)"
	case mode&fs.ModeDevice != 0, mode&fs.ModeCharDevice != 0:
		return "device"
	case mode&fs.ModeSocket != 0:
		return "socket"
	}
	return "special file"
}

// Open opens path for reading if it is a regular file. Opening never blocks:
// a FIFO is opened non-blocking, seen to be a FIFO, and closed.
func Open(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|nonblock, 0)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return nil, &fs.PathError{Op: "open", Path: path, Err: ErrSymlinkLoop}
		}
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, &NotRegularError{Path: path, Kind: Kind(st.Mode())}
	}
	return f, nil
}

// Read returns the contents of the regular file at path, refusing anything
// that is not a regular file and any file larger than max bytes. The cap holds
// even when the file grows while it is read.
func Read(path string, max int64) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := int64(0)
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	if size > max {
		return nil, &TooLargeError{Path: path, Max: max}
	}
	buf := make([]byte, 0, size+1)
	data, err := readAll(io.LimitReader(f, max+1), buf)
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, &TooLargeError{Path: path, Max: max}
	}
	return data, nil
}

func readAll(r io.Reader, b []byte) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}
