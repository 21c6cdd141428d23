package pwretry

import (
	"errors"
	"slices"
	"testing"
)

var errWrong = errors.New("wrong password")

func isWrong(err error) bool { return errors.Is(err, errWrong) }

// loader accepts "secret" and records the passwords it was given.
type loader struct{ tried []string }

func (l *loader) load(pw string) (string, error) {
	l.tried = append(l.tried, pw)
	if pw != "secret" {
		return "", errWrong
	}
	return "loaded", nil
}

func TestLoopAsksUntilThePasswordIsRight(t *testing.T) {
	var ld loader
	answers := []string{"nope", "secret"}
	var agains []bool
	got, err := Loop("", errWrong, isWrong, func(again bool) (string, error) {
		agains = append(agains, again)
		pw := answers[0]
		answers = answers[1:]
		return pw, nil
	}, ld.load)
	if err != nil || got != "loaded" {
		t.Fatalf("got %q, %v", got, err)
	}
	if !slices.Equal(ld.tried, []string{"nope", "secret"}) || !slices.Equal(agains, []bool{false, true}) {
		t.Errorf("tried %v, again %v", ld.tried, agains)
	}
}

func TestLoopGivesUpAfterMaxTries(t *testing.T) {
	var ld loader
	asked := 0
	_, err := Loop("", errWrong, isWrong, func(bool) (string, error) { asked++; return "nope", nil }, ld.load)
	if !errors.Is(err, errWrong) || asked != MaxTries {
		t.Errorf("asked %d times, err %v; want %d and the wrong-password error", asked, err, MaxTries)
	}
}

func TestLoopStopsOnOtherErrorsAndOnAPromptError(t *testing.T) {
	other := errors.New("not a certificate")
	asked := 0
	ask := func(bool) (string, error) { asked++; return "", nil }
	if _, err := Loop("", other, isWrong, ask, (&loader{}).load); err != other || asked != 0 {
		t.Errorf("other error: %v after %d prompts", err, asked)
	}
	cancelled := errors.New("prompt closed")
	_, err := Loop("", errWrong, isWrong, func(bool) (string, error) { return "", cancelled }, (&loader{}).load)
	if err != cancelled {
		t.Errorf("prompt error: %v", err)
	}
	if got, err := Loop("fine", nil, isWrong, ask, (&loader{}).load); got != "fine" || err != nil || asked != 0 {
		t.Errorf("first load fine: %q %v after %d prompts", got, err, asked)
	}
}
