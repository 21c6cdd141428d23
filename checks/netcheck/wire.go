package netcheck

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"time"
)

// maxHeaderBytes bounds the status line and headers of an answer, as
// maxBodyBytes bounds the part of its body that is read.
const (
	maxHeaderBytes = 64 << 10
	maxBodyBytes   = 64 << 10
)

// errHeadersTooLarge: an answer's headers went past maxHeaderBytes.
var errHeadersTooLarge = errors.New("response headers larger than 64 KiB")

// headerCap passes reads through, failing with errHeadersTooLarge once left
// bytes have been read; left < 0 lifts the cap.
type headerCap struct {
	r    io.Reader
	left int
}

func (c *headerCap) Read(b []byte) (int, error) {
	if c.left < 0 {
		return c.r.Read(b)
	}
	if c.left == 0 {
		return 0, errHeadersTooLarge
	}
	if len(b) > c.left {
		b = b[:c.left]
	}
	n, err := c.r.Read(b)
	c.left -= n
	return n, err
}

// readResponse reads an answer's head from conn with at most
// maxHeaderBytes of status line and headers, however long a single line or
// however many lines the server sends; the caller caps the body.
func readResponse(conn net.Conn, req *http.Request) (*http.Response, error) {
	return newWire(conn).readHead(req)
}

// wire is one connection to the service, over which requests are sent one
// after the other (HTTP/1.1 keep-alive).
type wire struct {
	conn net.Conn
	hc   headerCap
	br   *bufio.Reader
	// reusable: the last answer was read to its end and the server keeps
	// the connection open.
	reusable bool
}

func newWire(conn net.Conn) *wire {
	w := &wire{conn: conn, hc: headerCap{r: conn, left: maxHeaderBytes}}
	w.br = bufio.NewReader(&w.hc)
	return w
}

// readHead reads an answer's status line and headers under the cap.
func (w *wire) readHead(req *http.Request) (*http.Response, error) {
	w.hc.left = maxHeaderBytes
	resp, err := http.ReadResponse(w.br, req)
	if w.hc.left == 0 && err != nil {
		// Whatever the parser made of the cut-off input, the cause is the cap.
		return nil, errHeadersTooLarge
	}
	if err != nil {
		return nil, err
	}
	w.hc.left = -1
	return resp, nil
}

// roundTrip sends req and reads the answer: at most maxHeaderBytes of
// headers and the first maxBodyBytes of the body, all within timeout. The
// body is not closed: closing would read it to its end, however long; a
// connection whose answer was not read to its end is not used again.
func (w *wire) roundTrip(req *http.Request, timeout time.Duration) (*http.Response, []byte, error) {
	w.reusable = false
	_ = w.conn.SetDeadline(time.Now().Add(timeout))
	if err := req.Write(w.conn); err != nil {
		return nil, nil, err
	}
	resp, err := w.readHead(req)
	if err != nil {
		return nil, nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes))
	w.reusable = err == nil && len(body) < maxBodyBytes && !resp.Close && !req.Close
	return resp, body, nil
}

// exchange makes the target's one harmless GET once, over the connection
// the earlier stages opened; the mtls, http, idp and clock stages read its
// answer.
func (p *probe) exchange(ctx context.Context) (*http.Response, []byte, time.Duration, error) {
	if p.exchanged {
		return p.resp, p.body, p.reqDur, p.reqErr
	}
	p.exchanged = true
	start := time.Now()
	p.resp, p.body, p.reqErr = p.get(ctx)
	p.reqDur = time.Since(start)
	return p.resp, p.body, p.reqDur, p.reqErr
}

func (p *probe) get(ctx context.Context) (*http.Response, []byte, error) {
	u, err := p.probeURL()
	if err != nil {
		return nil, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("User-Agent", userAgent)
	// The connection stays open for the authenticated call where there is
	// one: one handshake serves both requests.
	req.Close = !(p.t.Applies(StepAuth) && p.opt.Client != nil)
	return p.wire.roundTrip(req, p.opt.Timeout)
}

const userAgent = "egovsetup-diagnose"
