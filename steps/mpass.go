package steps

import (
	"context"
	"io"
	"slices"
	"strings"

	"charm.land/huh/v2"

	"github.com/egovmd/egovsetup/checks"
)

// MPass asks where MPass sends LogoutRequest and LogoutResponse, and which
// attributes the system receives after sign-in.
type MPass struct{}

func (MPass) ID() string { return "mpass" }

func (MPass) Applies(c *Context) bool { return c.Answers.Has("mpass") }

func (MPass) Screen(c *Context) Screen { return newFormScreen(c, mpassPhase(c)) }

func (MPass) Accessible(ctx context.Context, c *Context, r io.Reader, w io.Writer) error {
	return runAccessible(ctx, c, r, w, mpassPhase(c))
}

// splitAttributes reads custom attribute names separated by commas or spaces.
func splitAttributes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' })
}

func mpassPhase(c *Context) phase {
	m := &c.Answers.MPass
	std := c.Data.MPass.Attributes
	var chosen []string
	var custom string
	return phase{
		build: func() *huh.Form {
			if len(m.Attributes) == 0 {
				m.Attributes = slices.Clone(c.Data.MPass.Defaults)
			}
			chosen, custom = nil, ""
			var extra []string
			for _, attr := range m.Attributes {
				if slices.Contains(std, attr) {
					chosen = append(chosen, attr)
				} else {
					extra = append(extra, attr)
				}
			}
			custom = strings.Join(extra, ", ")
			var opts []huh.Option[string]
			for _, attr := range std {
				label := attr
				if slices.Contains(c.Data.MPass.Always, attr) {
					label = c.T("mpass.attribute.always", "Name", attr)
				}
				opts = append(opts, huh.NewOption(label, attr))
			}
			env := c.Answers.Env
			// The response field shows the request URL as its placeholder: huh
			// reads it on another goroutine, so through a synchronised copy.
			req := newSyncedText(&m.LogoutRequestURL)
			request := input(c, "mpass.logout_request", &m.LogoutRequestURL, func(s string) error { return checks.ValidateLogoutURL(s, env) }).
				Accessor(req)
			response := huh.NewInput().
				Title(c.T("mpass.logout_response")).
				Description(c.T("mpass.logout_response.description")).
				PlaceholderFunc(req.Get, req).
				Value(&m.LogoutResponseURL).
				Validate(validator(c, func(s string) error {
					if strings.TrimSpace(s) == "" {
						return nil // the same as the LogoutRequest URL
					}
					return checks.ValidateLogoutURL(s, env)
				}))
			return newForm(c,
				huh.NewGroup(request, response).Title(c.T("mpass.group.logout")),
				huh.NewGroup(
					huh.NewMultiSelect[string]().
						Title(c.T("mpass.attributes")).
						Description(c.T("mpass.attributes.description")).
						Options(opts...).
						Filterable(false).
						Height(multiSelectHeight(len(opts))).
						Value(&chosen),
					huh.NewInput().
						Title(c.T("mpass.custom")).
						Description(c.T("mpass.custom.description")).
						Placeholder("Role").
						Value(&custom).
						Validate(validator(c, func(s string) error {
							for _, name := range splitAttributes(s) {
								if err := checks.ValidateAttributeName(name); err != nil {
									return err
								}
							}
							return nil
						})),
				).Title(c.T("mpass.group.attributes")),
			)
		},
		commit: func() error {
			m.LogoutRequestURL = strings.TrimSpace(m.LogoutRequestURL)
			m.LogoutResponseURL = strings.TrimSpace(m.LogoutResponseURL)
			if m.LogoutResponseURL == "" {
				m.LogoutResponseURL = m.LogoutRequestURL
			}
			// The attributes MPass always returns come first, then the standard
			// ones in their documented order, then custom ones as typed.
			attrs := slices.Clone(c.Data.MPass.Always)
			for _, attr := range std {
				if slices.Contains(chosen, attr) && !slices.Contains(attrs, attr) {
					attrs = append(attrs, attr)
				}
			}
			for _, attr := range splitAttributes(custom) {
				if !slices.Contains(attrs, attr) {
					attrs = append(attrs, attr)
				}
			}
			m.Attributes = attrs
			return nil
		},
	}
}
