package cli

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"unicode/utf16"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/internal/safefile"
)

// PasswordEnv is the environment variable a .pfx password may come from.
const PasswordEnv = "EGOVSETUP_PASSWORD"

// password finds the password for a PKCS#12 file without ever taking it from
// the command line: from --password-file, else from $EGOVSETUP_PASSWORD.
// given is false when neither is set; the caller then tries the empty
// password and, on a terminal, asks with a masked prompt (askPassword).
func (a *app) password(passwordFile string) (pw string, given bool, err error) {
	if passwordFile != "" {
		b, err := safefile.Read(passwordFile, MaxPasswordFile)
		if err != nil {
			return "", false, usageError(checks.FileProblem(passwordFile, err))
		}
		b = fromNotepad(b)
		// One line: a trailing newline (as editors and `echo` write) is not part of it.
		b, _, _ = bytes.Cut(b, []byte("\n"))
		return strings.TrimSuffix(string(b), "\r"), true, nil
	}
	if v, ok := a.lookupEnv(PasswordEnv); ok {
		return v, true, nil
	}
	return "", false, nil
}

// fromNotepad returns the UTF-8 text of a file Windows Notepad may have
// saved: without its byte order mark, and decoded from UTF-16 when it starts
// with a UTF-16 mark (Notepad's "Unicode" encodings). Anything else is
// returned as it is.
func fromNotepad(b []byte) []byte {
	var order binary.ByteOrder
	switch {
	case bytes.HasPrefix(b, []byte("\uFEFF")):
		return b[3:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		order = binary.LittleEndian
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		order = binary.BigEndian
	default:
		return b
	}
	units := make([]uint16, 0, len(b)/2)
	for i := 2; i+1 < len(b); i += 2 {
		units = append(units, order.Uint16(b[i:]))
	}
	return []byte(string(utf16.Decode(units)))
}

// MaxPasswordFile is the largest --password-file read: one line, a password.
const MaxPasswordFile = 64 << 10

// endsInSpace reports whether a password ends in blanks, which a password
// file's line may carry unseen; a wrong password then gets a hint.
func endsInSpace(pw string) bool {
	return pw != "" && strings.TrimRight(pw, " \t") != pw
}

func (a *app) lookupEnv(name string) (string, bool) {
	v := a.env.Getenv(name)
	return v, v != ""
}

// canPrompt reports whether a masked password prompt is possible.
func (a *app) canPrompt() bool { return a.env.StdinTTY && a.env.ReadPassword != nil }

// askPassword shows a masked prompt on stderr for the file's password.
func (a *app) askPassword(file string) (string, error) {
	fmt.Fprint(a.env.Stderr, a.t("cli.password.prompt", "File", file))
	b, err := a.env.ReadPassword()
	fmt.Fprintln(a.env.Stderr)
	if err != nil {
		return "", usageError(err)
	}
	return string(b), nil
}

// namesItsFile reports whether err is a refusal to read a file whose message
// already names the path (missing, not a regular file, too large, a loop), so
// that it is shown without the path a second time.
func namesItsFile(err error) bool {
	var (
		pe *fs.PathError
		nr *safefile.NotRegularError
		tl *safefile.TooLargeError
	)
	return errors.As(err, &pe) || errors.As(err, &nr) || errors.As(err, &tl)
}

// isWrongPassword reports whether a load failed on the password.
func isWrongPassword(err error) bool { return errors.Is(err, cert.ErrPasswordIncorrect) }
