package steps

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks/cert"
)

// The card's label column fits each language's labels: a long label such as
// «Серийный номер (hex)» sits on one line, beside its value, in 80 columns.
func TestCardLabelsFitTheirColumn(t *testing.T) {
	for _, lang := range assets.Languages {
		c := newContext()
		c.Lang = lang
		l, err := cert.Demo(c.Now())
		if err != nil {
			t.Fatal(err)
		}
		r := cert.NewReport(l, certOptions(c))
		card := ansi.Strip(renderCard(c, r, l, 80))
		for _, row := range []struct{ key, value string }{
			{"certcard.serial_hex", r.SerialHex},
			{"certcard.serial_dec", r.SerialDecimal},
			{"certcard.chain", ""},
		} {
			label := assets.T(lang, row.key)
			var line string
			for _, ln := range strings.Split(card, "\n") {
				if strings.HasPrefix(ln, label) {
					line = ln
					break
				}
			}
			if line == "" {
				t.Errorf("%s: no card line starts with the whole label %q:\n%s", lang, label, card)
				continue
			}
			if rest := strings.TrimPrefix(line, label); !strings.HasPrefix(rest, " ") || !strings.Contains(rest, row.value) {
				t.Errorf("%s: label %q is not set apart from its value %q: %q", lang, label, row.value, line)
			}
			if w := ansi.StringWidth(line); w > 80 {
				t.Errorf("%s: card line is %d columns wide: %q", lang, w, line)
			}
		}
	}
}
