package assets

import (
	"embed"
	"strings"
	"text/template"
	"unicode/utf8"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// Templates are the package's document templates (e-mail body, request
// letter, README, test plans), parsed once.
var Templates = template.Must(template.New("").Funcs(template.FuncMap{
	"join": strings.Join,
	"add":  func(a, b int) int { return a + b },
	"wrap": Wrap,
	"mark": func(kind string) string { return BlockMark + kind },
}).ParseFS(templateFS, "templates/*.tmpl"))

// BlockMark opens a block of a letter template ({{mark "para"}}): a control
// character, which no value the templates show can hold, as they are escaped
// (internal/safetext) before rendering.
const BlockMark = "\x1e"

// Wrap breaks s into lines of at most width characters at spaces (a longer
// word stays whole on its own line).
func Wrap(width int, s string) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(s) {
		l := utf8.RuneCountInString(w)
		switch {
		case n == 0:
		case n+1+l > width:
			b.WriteByte('\n')
			n = 0
		default:
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += l
	}
	return b.String()
}
