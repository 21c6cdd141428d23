package assets

import (
	"embed"
	"strings"
	"text/template"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// Templates are the package's document templates (e-mail body, request
// letter, README, test plans), parsed once.
var Templates = template.Must(template.New("").Funcs(template.FuncMap{
	"join": strings.Join,
	"add":  func(a, b int) int { return a + b },
}).ParseFS(templateFS, "templates/*.tmpl"))
