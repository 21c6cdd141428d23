package steps

import (
	"strings"

	"charm.land/huh/v2"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/export"
)

// identityPhase asks the system's root URL (ServiceRootUrl in AGE's MPass
// library) and its SAML Issuer, the entityID of its SP metadata
// (mpass/api-reference.md, AuthnRequest/Issuer). Given the root URL, the
// logout fields of the environment registered now are filled with the
// addresses the library serves by default (export.DefaultLogoutRequestPath
// and DefaultLogoutResponsePath, from its MPassSamlDefaults.cs), for the
// user to keep or change.
func (f *mpassForm) identityPhase() phase {
	c := f.c
	return phase{
		build: func() *huh.Form {
			f.loadIdentity()
			root := newSyncedText(&f.root)
			issuer := input(c, "mpass.issuer", &f.issuer, func(s string) error {
				if strings.TrimSpace(s) == "" {
					return nil // the root URL, checked on commit
				}
				return export.CheckIssuer(strings.TrimSpace(s))
			}).PlaceholderFunc(func() string {
				if r := strings.TrimRight(strings.TrimSpace(root.Get()), "/"); r != "" {
					return r
				}
				return c.T("mpass.issuer.placeholder")
			}, root)
			rootField := huh.NewInput().Title(c.T("mpass.service_root")).
				Description(c.T("mpass.service_root.description")).
				Placeholder(c.T("mpass.service_root.placeholder")).
				Accessor(root).
				Validate(validator(c, func(s string) error { return f.checkRoot(s) }))
			return newForm(c, huh.NewGroup(rootField, issuer).Title(c.T("mpass.group.identity")))
		},
		commit: f.keepIdentity,
		flush:  func() { f.c.Answers.MPass.Issuer = strings.TrimSpace(f.issuer) },
	}
}

// loadIdentity reads the Issuer and the root URL the answers imply.
func (f *mpassForm) loadIdentity() {
	f.issuer = f.c.Answers.MPass.Issuer
	if f.root == "" {
		f.root = export.ServiceRoot(f.c.Answers)
	}
}

// checkRoot: the root URL may stay empty; given, it is an address MPass
// could reach on the environment registered now.
func (f *mpassForm) checkRoot(s string) error {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return checks.ValidateLogoutURL(s, f.c.Answers.Env)
}

// keepIdentity stores the Issuer (the root URL when left empty) and
// proposes the library's logout URLs under the root URL.
func (f *mpassForm) keepIdentity() error {
	root := strings.TrimRight(strings.TrimSpace(f.root), "/")
	if err := f.checkRoot(root); err != nil {
		return err
	}
	issuer := strings.TrimSpace(f.issuer)
	if issuer == "" {
		issuer = root
	}
	if err := export.CheckIssuer(issuer); err != nil {
		return err
	}
	f.issuer, f.root = issuer, root
	f.c.Answers.MPass.Issuer = issuer
	return nil
}

// propose fills the logout URLs of the environment registered now with the
// library's defaults under the root URL, where they are empty or still
// the defaults under the root URL they imply (given before).
func (f *mpassForm) propose() {
	root := strings.TrimRight(strings.TrimSpace(f.root), "/")
	if root == "" {
		return
	}
	req, resp := &f.testReq, &f.testResp
	if f.c.Answers.Env == assets.EnvProduction {
		req, resp = &f.prodReq, &f.prodResp
	}
	old := export.ServiceRoot(f.c.Answers)
	for _, x := range []struct {
		v    *string
		path string
	}{{req, export.DefaultLogoutRequestPath}, {resp, export.DefaultLogoutResponsePath}} {
		if *x.v == "" || (old != "" && *x.v == old+x.path) {
			*x.v = root + x.path
		}
	}
}
