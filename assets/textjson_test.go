package assets

import (
	"encoding/json"
	"errors"
	"testing"
)

// A Text kept as JSON (key and values) reads the same in every language when
// loaded again: plural counts, nested texts and errors included.
func TestTextJSONRoundTrip(t *testing.T) {
	orig := Msg("judge.connectivity_stale", "Count", 3, "Env", Msg("env.production"))
	b, err := json.Marshal(orig)
	if err != nil {
		t.Fatal(err)
	}
	var back Text
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	for _, lang := range []string{"en", "ro", "ru"} {
		if got, want := back.In(lang), orig.In(lang); got != want {
			t.Errorf("%s: %q, want %q (kept as %s)", lang, got, want, b)
		}
	}
	// An error value is kept as its words, a zero Text as no key.
	b, _ = json.Marshal(Msg("connectivity.kept_text", "Text", errors.New("refused\x1b[2J")))
	if err := json.Unmarshal(b, &back); err != nil || back.In("en") != `refused\x1b[2J` {
		t.Errorf("error value: %q (%v)", back.In("en"), err)
	}
	if err := json.Unmarshal([]byte(`{"key":"x","args":{"N":[1}}`), &back); err == nil {
		t.Error("broken JSON accepted")
	}
}
