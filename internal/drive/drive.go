// Package drive runs a Bubble Tea model in tests without a terminal: it turns
// key names into key presses, runs the commands they return (feeding their
// messages back, as the program would), and records the messages that leave
// the model, so a test can assert on what the screen shows and what it did.
package drive

import (
	"reflect"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Updater delivers one message to the model under test and returns its command.
type Updater func(msg tea.Msg) tea.Cmd

// Driver feeds messages to a model and runs the commands it returns, each on
// its own goroutine as Bubble Tea does; what they produce is fed back.
type Driver struct {
	update Updater
	// Intercept, when it returns true for a message, keeps it from the model
	// and records it in Out (navigation messages a shell would handle).
	Intercept func(tea.Msg) bool
	// Out holds the intercepted messages, oldest first.
	Out []tea.Msg
	// Quiet is how long the driver waits for more messages before it takes
	// the model to be idle (timers such as a blinking cursor are dropped).
	Quiet   time.Duration
	results chan tea.Msg
}

// New returns a driver for update.
func New(update Updater, intercept func(tea.Msg) bool) *Driver {
	return &Driver{update: update, Intercept: intercept, Quiet: 25 * time.Millisecond, results: make(chan tea.Msg, 4096)}
}

// Send delivers msg, then everything its commands produce until the model
// is idle.
func (d *Driver) Send(msg tea.Msg) {
	d.deliver(msg)
	d.settle(d.Quiet)
}

// Run runs cmd (e.g. a model's Init) and delivers what it produces.
func (d *Driver) Run(cmd tea.Cmd) {
	d.spawn(cmd)
	d.settle(d.Quiet)
}

// WaitFor keeps delivering messages until cond holds or timeout passes (for
// work that takes real time, such as reading a file). It reports cond.
func (d *Driver) WaitFor(cond func() bool, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		d.settle(d.Quiet)
	}
	return true
}

// Keys presses each key in turn: names like "enter", "tab", "shift+tab",
// "space", "up", "down", "esc", "backspace", "ctrl+a", or literal text, which
// is typed rune by rune.
func (d *Driver) Keys(keys ...string) {
	for _, k := range keys {
		// Typed text goes in at once (as a fast typist's would); the model
		// settles after the whole string.
		for _, msg := range Press(k) {
			d.deliver(msg)
		}
		d.settle(d.Quiet)
	}
}

// Burst presses all the keys (as Keys names them) one straight after the
// other, with no time for the model's commands to come back in between, as
// a fast typist or a paste does; then the model settles.
func (d *Driver) Burst(keys ...string) {
	for _, k := range keys {
		for _, msg := range Press(k) {
			d.deliver(msg)
		}
	}
	d.settle(d.Quiet)
}

func (d *Driver) deliver(m tea.Msg) {
	if m == nil || isTimer(m) {
		return
	}
	if b, ok := m.(tea.BatchMsg); ok {
		for _, c := range b {
			d.spawn(c)
		}
		return
	}
	// tea.Sequence's message is an unexported slice of commands: run them in
	// order on one goroutine.
	if v := reflect.ValueOf(m); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
		cmds := make([]tea.Cmd, v.Len())
		for i := range cmds {
			cmds[i], _ = v.Index(i).Interface().(tea.Cmd)
		}
		go func() {
			for _, c := range cmds {
				if c != nil {
					d.push(c())
				}
			}
		}()
		return
	}
	if d.Intercept != nil && d.Intercept(m) {
		d.Out = append(d.Out, m)
		return
	}
	d.spawn(d.update(m))
}

func (d *Driver) spawn(cmd tea.Cmd) {
	if cmd != nil {
		go func() { d.push(cmd()) }()
	}
}

func (d *Driver) push(m tea.Msg) {
	if m == nil {
		return
	}
	select {
	case d.results <- m:
	default: // nobody is listening any more
	}
}

// settle delivers messages until none arrives for quiet.
func (d *Driver) settle(quiet time.Duration) {
	for {
		select {
		case m := <-d.results:
			d.deliver(m)
		case <-time.After(quiet):
			return
		}
	}
}

// Press turns a key name or a text into key press messages.
func Press(k string) []tea.Msg {
	special := map[string]tea.KeyPressMsg{
		"enter":     {Code: tea.KeyEnter},
		"tab":       {Code: tea.KeyTab},
		"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
		"space":     {Code: tea.KeySpace, Text: " "},
		"up":        {Code: tea.KeyUp},
		"down":      {Code: tea.KeyDown},
		"left":      {Code: tea.KeyLeft},
		"right":     {Code: tea.KeyRight},
		"esc":       {Code: tea.KeyEscape},
		"backspace": {Code: tea.KeyBackspace},
		"pgdown":    {Code: tea.KeyPgDown},
		"pgup":      {Code: tea.KeyPgUp},
	}
	if m, ok := special[k]; ok {
		return []tea.Msg{m}
	}
	if rest, ok := strings.CutPrefix(k, "ctrl+"); ok && len(rest) == 1 {
		return []tea.Msg{tea.KeyPressMsg{Code: rune(rest[0]), Mod: tea.ModCtrl}}
	}
	var out []tea.Msg
	for _, r := range k {
		out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return out
}

// isTimer reports messages from blinking cursors and spinners, which would
// otherwise tick forever.
func isTimer(m tea.Msg) bool {
	t := reflect.TypeOf(m)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	p := t.PkgPath()
	return strings.HasSuffix(p, "/cursor") || (strings.HasSuffix(p, "/spinner") && t.Name() == "TickMsg")
}
