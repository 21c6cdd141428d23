package export

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Levels of a registration's certificate in Status.
const (
	LevelOK      = "ok"      // more than the warning window left
	LevelSoon    = "soon"    // expires within the warning window
	LevelExpired = "expired" // already expired
	LevelUnknown = "unknown" // the ledger does not know the expiry
)

// StatusRow is one registration in force: a system's certificate in one
// environment and the platforms it is registered with.
type StatusRow struct {
	SystemID  string    `json:"system_id"`
	System    string    `json:"system"`
	Env       string    `json:"env"`
	Services  []string  `json:"services"`
	SerialHex string    `json:"serial_hex"`
	SHA256    string    `json:"sha256,omitempty"`
	NotAfter  time.Time `json:"not_after,omitzero"`
	DaysLeft  int       `json:"days_left"`
	Level     string    `json:"level"`
	Built     time.Time `json:"built"`
	Sent      string    `json:"sent,omitempty"`
	Confirmed string    `json:"confirmed,omitempty"`
	Package   string    `json:"package,omitempty"`
}

// Due reports whether the row's certificate expires within the warning
// window or has expired: it is time to renew it.
func (r StatusRow) Due() bool { return r.Level == LevelSoon || r.Level == LevelExpired }

// DaysLeft counts whole days from now to notAfter, rounding down: a
// certificate that expired three hours ago has -1 day left.
func DaysLeft(notAfter, now time.Time) int {
	d := notAfter.Sub(now)
	days := int(d / (24 * time.Hour))
	if d < 0 && d%(24*time.Hour) != 0 {
		days--
	}
	return days
}

// Level judges days left against a warning window of within days.
func Level(notAfter, now time.Time, within int) string {
	if notAfter.IsZero() {
		return LevelUnknown
	}
	switch d := DaysLeft(notAfter, now); {
	case d < 0:
		return LevelExpired
	case d <= within:
		return LevelSoon
	}
	return LevelOK
}

// Status is every registration in force on this machine: for each system,
// environment and platform the certificate of the latest package that
// names it, so a renewal or a new certificate takes the platform over from
// the old one. Platforms sharing a certificate share a row. Rows are
// ordered by system, environment (test first) and expiry.
func (l *Ledger) Status(now time.Time, within int) []StatusRow {
	type key struct{ system, env, service string }
	latest := map[key]int{}
	for i, e := range l.Entries {
		for _, s := range e.Services {
			k := key{e.SystemID, e.Env, s}
			if j, ok := latest[k]; !ok || !l.Entries[j].Built.After(e.Built) {
				latest[k] = i
			}
		}
	}
	type rowKey struct{ system, env, cert string }
	rows := map[rowKey]*StatusRow{}
	var order []rowKey
	certOf := l.certKeys()
	for i, e := range l.Entries {
		rk := rowKey{e.SystemID, e.Env, certOf(e)}
		for _, s := range e.Services {
			if latest[key{e.SystemID, e.Env, s}] != i {
				continue
			}
			r := rows[rk]
			if r == nil {
				r = &StatusRow{SystemID: e.SystemID, Env: e.Env}
				rows[rk] = r
				order = append(order, rk)
			}
			if !slices.Contains(r.Services, s) {
				r.Services = append(r.Services, s)
			}
			r.take(e)
		}
	}
	out := make([]StatusRow, 0, len(order))
	for _, rk := range order {
		r := rows[rk]
		r.DaysLeft = DaysLeft(r.NotAfter, now)
		r.Level = Level(r.NotAfter, now, within)
		if r.NotAfter.IsZero() {
			r.DaysLeft = 0
		}
		out = append(out, *r)
	}
	slices.SortStableFunc(out, func(a, b StatusRow) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.System), strings.ToLower(b.System)),
			cmp.Compare(a.SystemID, b.SystemID), cmp.Compare(envRank(a.Env), envRank(b.Env)),
			a.NotAfter.Compare(b.NotAfter))
	})
	return out
}

// certKeys says which certificate an entry registers: its fingerprint, or,
// for an entry naming the certificate by its serial alone, the fingerprint
// another entry of the same system and environment gives that serial (so a
// platform added by naming the certificate joins its row), else the serial.
func (l *Ledger) certKeys() func(LedgerEntry) string {
	type serialKey struct{ system, env, serial string }
	sha := map[serialKey]string{}
	for _, e := range l.Entries {
		k := serialKey{e.SystemID, e.Env, strings.ToUpper(e.SerialHex)}
		if e.SHA256 != "" && sha[k] == "" {
			sha[k] = strings.ToUpper(e.SHA256)
		}
	}
	return func(e LedgerEntry) string {
		if e.SHA256 != "" {
			return strings.ToUpper(e.SHA256)
		}
		return cmp.Or(sha[serialKey{e.SystemID, e.Env, strings.ToUpper(e.SerialHex)}], strings.ToUpper(e.SerialHex))
	}
}

// take fills the row from e, the newest entry winning; a serial-only entry
// keeps the expiry an earlier entry of the same certificate knew.
func (r *StatusRow) take(e LedgerEntry) {
	if !r.Built.IsZero() && e.Built.Before(r.Built) {
		if r.NotAfter.IsZero() {
			r.NotAfter = e.NotAfter
		}
		return
	}
	r.System, r.SerialHex, r.Built, r.Package = e.System, e.SerialHex, e.Built, e.Package
	r.SHA256 = cmp.Or(e.SHA256, r.SHA256)
	if !e.NotAfter.IsZero() {
		r.NotAfter = e.NotAfter
	}
	r.Sent, r.Confirmed = e.Sent, e.Confirmed
}

// Worst is the most pressing level among rows: expired, then soon, then ok.
func Worst(rows []StatusRow) string {
	w := LevelOK
	for _, r := range rows {
		switch {
		case r.Level == LevelExpired:
			return LevelExpired
		case r.Level == LevelSoon:
			w = LevelSoon
		}
	}
	return w
}

// MatchSystem reports whether name (as the user types it: the system's
// name in any case, or its ID) names the row's system.
func MatchSystem(systemID, system, name string) bool {
	name = strings.TrimSpace(name)
	return strings.EqualFold(system, name) || systemID == name || systemID == Slug(name)
}
