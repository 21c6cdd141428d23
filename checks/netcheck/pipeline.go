package netcheck

import (
	"context"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/internal/redact"
)

// outcome is what one stage found: a check whose ID is the step, how long
// the stage took and the cause a failure names ("" when the message is the
// whole story).
type outcome struct {
	checks.Check
	d     time.Duration
	cause string
}

// result is the outcome of step with severity sev.
func result(step string, sev checks.Severity, d time.Duration, msg, remedy assets.Text) outcome {
	return outcome{Check: checks.Check{ID: step, Severity: sev, Message: msg, Remedy: remedy}, d: d}
}

// because names the cause of o.
func (o outcome) because(cause string) outcome {
	o.cause = cause
	return o
}

// stage is one step of a target's probe: run returns what it found and
// whether the steps after it can run. Whether a stage applies to a target
// is Target.Applies(id).
type stage struct {
	id  string
	run func(p *probe, ctx context.Context) (outcome, bool)
}

// stages are a target's steps in the order they run. A stage that returns
// false stops the probe: each later stage that applies is reported as
// skipped, naming the step that failed.
var stages = []stage{
	{StepDNS, (*probe).dnsStage},
	{StepTCP, (*probe).tcpStage},
	{StepTLS, (*probe).tlsStage},
	{StepMTLS, (*probe).mtlsStage},
	{StepHTTP, (*probe).httpStage},
	{StepAuth, (*probe).authStage},
	{StepIdP, (*probe).idpStage},
	{StepClock, (*probe).clockStage},
}

// run runs the target's stages in order and returns their results.
func (p *probe) run(ctx context.Context) []Result {
	p.prepare()
	defer p.close()
	stopped := ""
	for _, s := range stages {
		if !p.t.Applies(s.id) {
			continue
		}
		if stopped != "" {
			p.record(result(s.id, checks.Skip, 0, m("net.skip", "Step", stopped), assets.Text{}))
			continue
		}
		o, goOn := s.run(p, ctx)
		p.record(o)
		if !goOn {
			stopped = s.id
		}
	}
	return p.results
}

// prepare reads the target's URL and picks the proxy for it.
func (p *probe) prepare() {
	p.shown = redact.URL(p.t.URL)
	u, err := ParseEndpoint(p.t.URL)
	if err != nil {
		p.target = p.shown
		return
	}
	p.u = u
	p.host, p.port = hostPort(u)
	p.target = net.JoinHostPort(p.host, p.port)
	p.proxy, _ = p.opt.Proxy(u)
}

// close ends the probe's connection.
func (p *probe) close() {
	if p.wire != nil {
		p.wire.conn.Close()
	}
	if p.conn != nil {
		p.conn.Close()
	}
}

// record keeps a stage's result and streams it.
func (p *probe) record(o outcome) {
	r := Result{Service: p.t.Service, Name: p.t.Name, Env: p.t.Env, Target: p.target, Step: o.ID, Status: o.Severity,
		Message: o.Message, Remedy: o.Remedy, Duration: o.d, Cause: o.cause}
	p.results = append(p.results, r)
	if p.opt.OnResult != nil {
		p.opt.OnResult(r)
	}
}

// probeURL is the URL of the target's harmless request (no credentials:
// AGE's services take none in the URL).
func (p *probe) probeURL() (*url.URL, error) {
	ref, err := url.Parse(strings.TrimSuffix(p.u.Path, "/") + p.t.Probe)
	if err != nil {
		return nil, err
	}
	u := *p.u
	u.Path, u.RawPath, u.RawQuery = ref.Path, ref.RawPath, ref.RawQuery
	u.User = nil
	return &u, nil
}
