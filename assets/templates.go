package assets

import (
	"embed"
	"io"
	"strings"
	"sync"
	"text/template"
	"unicode/utf8"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// Templates are the package's document templates (e-mail body, request
// letter, README, test plans), parsed once, on first use: a command that
// writes no document does not pay for them.
var Templates = &TemplateSet{}

// TemplateSet is a set of templates parsed on first use.
type TemplateSet struct {
	once sync.Once
	t    *template.Template
}

// ExecuteTemplate applies the template name to data and writes the result to w.
func (s *TemplateSet) ExecuteTemplate(w io.Writer, name string, data any) error {
	s.once.Do(func() {
		// The templates are checked by the tests; a parse error is a build defect.
		s.t = template.Must(template.New("").Funcs(template.FuncMap{
			"join": strings.Join,
			"add":  func(a, b int) int { return a + b },
			"wrap": Wrap,
			"mark": func(kind string) string { return BlockMark + kind },
		}).ParseFS(templateFS, "templates/*.tmpl"))
	})
	return s.t.ExecuteTemplate(w, name, data)
}

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
