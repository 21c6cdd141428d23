package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/safetext"
)

type renewOptions struct {
	loadFlags
	system  string
	answers string
	env     string
	old     string
	out     string
	force   bool
	json    bool
}

// renewCmd is `egovsetup renew`: the renewal package that replaces a
// system's registered certificate with a new one.
func (a *app) renewCmd() *cobra.Command {
	var o renewOptions
	c := &cobra.Command{
		Use:         "renew --system NAME|--answers FILE --env ENV NEW.pfx|NEW.cer",
		Short:       a.t("cli.renew.short"),
		Long:        a.t("cli.renew.long"),
		Example:     a.t("cli.renew.examples"),
		Annotations: map[string]string{"exit": a.t("cli.exit.renew")},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError(checks.Problemf("cli.renew.args"))
			}
			return a.runRenew(cmd.Context(), args[0], o)
		},
	}
	c.Flags().StringVar(&o.system, "system", "", a.t("cli.flag.renew_system"))
	c.Flags().StringVar(&o.answers, "answers", "", a.t("cli.flag.renew_answers"))
	c.Flags().StringVar(&o.env, "env", "", a.t("cli.flag.env"))
	c.Flags().StringVar(&o.old, "old", "", a.t("cli.flag.renew_old"))
	a.addLoadFlags(c, &o.loadFlags)
	c.Flags().StringVarP(&o.out, "output", "o", ".", a.t("cli.flag.build_out"))
	c.Flags().BoolVar(&o.force, "force", false, a.t("cli.flag.build_force"))
	c.Flags().BoolVar(&o.json, "json", false, a.t("cli.flag.build_json"))
	return c
}

// renewal is a renewal being prepared: the system, the registration it
// replaces and what the ledger knows.
type renewal struct {
	store  *export.Store
	id     string
	ans    *export.Answers
	ledger *export.Ledger
	old    export.StatusRow
	// own: the answers came from --answers, a file of the user's that is
	// never written to.
	own bool
}

// findRenewal finds the system and the registration to renew.
func (a *app) findRenewal(o renewOptions) (*renewal, error) {
	if (o.system == "" && o.answers == "") || o.env == "" {
		return nil, usageError(checks.Problemf("cli.renew.args"))
	}
	if _, err := a.checkServices(nil, o.env); err != nil {
		return nil, err
	}
	s, err := a.store()
	if err != nil {
		return nil, err
	}
	r := &renewal{store: s}
	if err := a.renewalAnswers(r, o); err != nil {
		return nil, err
	}
	if r.ledger, err = s.Ledger(); err != nil {
		return nil, usageError(err)
	}
	old, cands := export.RenewalTarget(r.ledger.Status(a.env.Now(), 0), r.id, o.env, o.old)
	switch len(cands) {
	case 0:
		return nil, usageError(checks.Problemf("cli.renew.nothing", "System", cmp.Or(o.system, r.ans.System.Name), "Env", o.env))
	case 1:
		r.old = old
		return r, nil
	}
	var serials []string
	for _, c := range cands {
		serials = append(serials, safetext.Line(c.SerialHex))
	}
	return nil, usageError(checks.Problemf("cli.renew.which", "Serials", strings.Join(serials, ", ")))
}

// renewalAnswers loads the system's answers: from --answers, or the
// store's system that --system names.
func (a *app) renewalAnswers(r *renewal, o renewOptions) error {
	var err error
	if o.answers != "" {
		if r.ans, err = export.LoadAnswers(o.answers); err != nil {
			return usageError(err)
		}
		r.id, r.own = a.systemID(r.store, r.ans, o.answers), !inStore(r.store, o.answers)
		return nil
	}
	if r.id = r.store.FindSystem(o.system); r.id == "" {
		return usageError(checks.Problemf("cli.renew.unknown_system", "System", o.system, "Dir", r.store.SystemsDir()))
	}
	if r.ans, err = r.store.LoadSystem(r.id); err != nil {
		return usageError(err)
	}
	return nil
}

// checkNew judges the new certificate (export.CheckRenewal): the failing
// verdicts go to stderr. It returns whether AGE already has it for this
// system and environment.
func (a *app) checkNew(r *renewal, l *cert.Loaded) (registered bool, err error) {
	rc, err := export.CheckRenewal(r.ledger, r.id, r.old, l, a.data, a.env.Now())
	var unfit *export.UnfitError
	if errors.As(err, &unfit) {
		cert.WriteVerdicts(a.env.Stderr, unfit.Failing, a.lang)
		return false, usageError(checks.Problemf("cli.renew.unfit", "Serial", unfit.Serial))
	}
	if err != nil {
		return false, usageError(err)
	}
	return rc.Registered, nil
}

func (a *app) runRenew(ctx context.Context, path string, o renewOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	r, err := a.findRenewal(o)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	l, err := a.loadCert(ctx, path, o.loadFlags)
	if err != nil {
		return err
	}
	registered, err := a.checkNew(r, l)
	if err != nil {
		return err
	}
	res, entry, err := export.Renew(o.out, export.RenewInput{Answers: r.ans, SystemID: r.id, Old: r.old, Leaf: l.Leaf,
		Registered: registered, HoldsKey: l.ContainsKey, Data: a.data, Now: a.env.Now()}, export.Options{Overwrite: o.force, Context: ctx})
	if err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled) {
		fmt.Fprintln(a.env.Stderr, a.t("cli.build.interrupted"))
		return exitCode(ExitAborted)
	}
	if err != nil {
		return usageError(err)
	}
	if err := r.store.UpdateLedger(func(lg *export.Ledger) error { lg.Add(entry); return nil }); err != nil {
		fmt.Fprintln(a.env.Stderr, a.t("cli.ledger.record_failed", "Err", checks.Localize(err, a.lang)))
	}
	if !r.own {
		r.ans.Renewed(entry, export.NewCertificate(l))
		if err := r.store.SaveSystem(r.id, r.ans); err != nil {
			fmt.Fprintln(a.env.Stderr, a.t("cli.renew.answers_not_saved", "Err", err.Error()))
		}
	}
	if o.json {
		return a.writeJSON(struct {
			Dir      string         `json:"dir"`
			Zip      string         `json:"zip"`
			Replaces string         `json:"replaces"`
			Serial   string         `json:"serial_hex"`
			Emails   []export.Email `json:"emails"`
			Files    []string       `json:"files"`
		}{res.Dir, res.Zip, r.old.SerialHex, entry.SerialHex, res.Emails, res.Files})
	}
	a.println(a.env.Stdout, a.t("cli.renew.written", "Dir", safetext.Line(res.Dir), "Zip", safetext.Line(res.Zip),
		"Old", safetext.Line(r.old.SerialHex), "New", entry.SerialHex))
	for _, e := range res.Emails {
		a.println(a.env.Stdout, a.t("cli.renew.email", "To", safetext.Line(e.To), "File", safetext.Line(e.File),
			"Services", safetext.Line(a.data.Names(e.Services))))
	}
	return nil
}
