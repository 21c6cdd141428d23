// Package cli is egovsetup's command line: it parses arguments, wires the
// packages together and maps outcomes to exit codes. With no subcommand it
// starts the wizard (package ui); the subcommands (cert, diagnose, build) run
// headless on packages checks and export.
package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/internal/safetext"
)

// Exit codes, the same for every command.
const (
	ExitOK      = 0   // everything passed
	ExitFailed  = 1   // a check failed
	ExitUsage   = 2   // usage or input error
	ExitAborted = 130 // the user aborted (Ctrl+C)
)

// Env is everything a command touches outside its arguments, so tests can run
// commands in-process with buffers and a fixed clock.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// StdinTTY and StdoutTTY report whether the streams are terminals.
	StdinTTY, StdoutTTY bool
	// ReadPassword reads a line without echo from the terminal (masked prompt).
	ReadPassword func() ([]byte, error)
	// StdoutWidth is the width in columns of the terminal on standard
	// output (0 when unknown); asked only when StdoutTTY is set.
	StdoutWidth func() int
	Now         func() time.Time
}

// System returns the Env of the running process.
func System() *Env {
	return &Env{
		Stdin:     os.Stdin,
		Stdout:    os.Stdout,
		Stderr:    os.Stderr,
		Getenv:    os.Getenv,
		StdinTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		StdoutTTY: term.IsTerminal(int(os.Stdout.Fd())),
		ReadPassword: func() ([]byte, error) {
			return term.ReadPassword(int(os.Stdin.Fd()))
		},
		StdoutWidth: func() int {
			if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil && w > 0 {
				return w
			}
			return 0
		},
		Now: time.Now,
	}
}

// app is one run of the program: its environment, language and global flags.
type app struct {
	env      *Env
	lang     string // the language in use
	langFlag string // --lang as given
	dataPath string
	data     *assets.Data
	// secrets are the passwords typed at a prompt in this run, kept in
	// memory only so that a support bundle can be scanned for them.
	secrets []string
}

// stdoutWidth is the terminal's width in columns when standard output is a
// terminal (0 otherwise, or when the terminal does not say: text is not
// wrapped, so output piped to a file or a script is the same on any
// terminal).
func (a *app) stdoutWidth() int {
	if !a.env.StdoutTTY || a.env.StdoutWidth == nil {
		return 0
	}
	return max(a.env.StdoutWidth(), 0)
}

// t renders a catalogue message in the user's language.
func (a *app) t(key string, kv ...any) string { return assets.T(a.lang, key, kv...) }

// Main runs the program with args (without the program name) and returns the
// exit code.
func Main(args []string, env *Env) int {
	if versionOnly(args) {
		// Nothing to translate or load: answer before building the commands.
		fmt.Fprintf(env.Stdout, "egovsetup %s\n", versionString())
		return ExitOK
	}
	a := &app{env: env, lang: assets.DetectLang(scanFlag(args, "lang"), env.Getenv)}
	root := a.rootCmd(args)
	root.SetArgs(args)
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	err := root.Execute()
	return a.report(err)
}

// exitError carries an exit code through cobra.
type exitError struct {
	code int
	err  error // nil: the command already said everything
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

// usageError marks err as a usage or input error (exit 2).
func usageError(err error) error { return &exitError{code: ExitUsage, err: err} }

// exitCode ends the command with code and no further message.
func exitCode(code int) error {
	if code == ExitOK {
		return nil
	}
	return &exitError{code: code}
}

// report prints err (localized) and returns the exit code for it.
func (a *app) report(err error) int {
	if err == nil {
		return ExitOK
	}
	code := ExitUsage
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
		err = ee.err
	}
	if err != nil {
		fmt.Fprintf(a.env.Stderr, "egovsetup: %s\n", checks.Localize(err, a.lang))
	}
	return code
}

// scanFlag finds --name VALUE or --name=VALUE in args before cobra parses them
// (the language must be known to build the help texts).
func scanFlag(args []string, name string) string {
	for i, arg := range args {
		if arg == "--" {
			break
		}
		if v, ok := strings.CutPrefix(arg, "--"+name+"="); ok {
			return v
		}
		if arg == "--"+name && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

// rootCmd makes the command tree for a run with args: every command when
// args need it, else the commands args name (see addSubcommands).
func (a *app) rootCmd(args []string) *cobra.Command {
	var (
		answersPath string
		accessible  bool
		demo        bool
		version     bool
	)
	root := &cobra.Command{
		Use:               "egovsetup",
		Short:             a.t("cli.root.short"),
		Long:              a.t("cli.root.long"),
		Example:           a.t("cli.root.examples"),
		Args:              cobra.NoArgs,
		SilenceErrors:     true,
		SilenceUsage:      true,
		Annotations:       map[string]string{"exit": a.t("cli.exit.wizard")},
		PersistentPreRunE: func(*cobra.Command, []string) error { return a.prepare() },
		RunE: func(cmd *cobra.Command, _ []string) error {
			if version {
				fmt.Fprintf(a.env.Stdout, "egovsetup %s\n", versionString())
				return nil
			}
			return a.runWizard(wizardFlags{
				answersPath: answersPath,
				accessible:  accessible,
				demo:        demo,
				langFlag:    a.langFlag != "",
			})
		},
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.PersistentFlags().StringVar(&a.langFlag, "lang", "", a.t("cli.flag.lang"))
	root.PersistentFlags().StringVar(&a.dataPath, "data", "", a.t("cli.flag.data"))
	root.Flags().StringVar(&answersPath, "answers", "", a.t("cli.flag.answers"))
	root.Flags().BoolVar(&accessible, "accessible", false, a.t("cli.flag.accessible"))
	root.Flags().BoolVar(&demo, "demo", false, a.t("cli.flag.demo"))
	root.Flags().BoolVarP(&version, "version", "v", false, a.t("cli.flag.version"))

	a.addSubcommands(root, args,
		subcommand{"cert", a.certCmd}, leaf("diagnose", a.diagnoseCmd), leaf("build", a.buildCmd),
		subcommand{"mpass", a.mpassCmd},
		leaf("status", a.statusCmd), leaf("renew", a.renewCmd))
	a.localizeHelp(root)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError(err) })
	return root
}

// prepare applies --lang and loads the data (--data or EGOVSETUP_DATA over
// the embedded data) before any command runs.
func (a *app) prepare() error {
	if a.langFlag != "" {
		l := strings.ToLower(strings.TrimSpace(a.langFlag))
		if !assets.Supported(l) {
			return usageError(checks.Problemf("cli.lang.unsupported", "Lang", l))
		}
		a.lang = l
	}
	if a.dataPath == "" {
		a.dataPath = a.env.Getenv("EGOVSETUP_DATA")
	}
	d, err := assets.Load(a.dataPath)
	var fe *assets.FileError
	if errors.As(err, &fe) {
		return usageError(checks.FileProblem(fe.Path, fe.Err))
	}
	if err != nil {
		return usageError(err)
	}
	a.data = d
	return nil
}

// subcommand is a command made only when a run may need it; make is given
// the arguments that follow the command's name.
type subcommand struct {
	name string
	make func(args []string) *cobra.Command
}

// leaf is a subcommand with no subcommands of its own.
func leaf(name string, make func() *cobra.Command) subcommand {
	return subcommand{name, func([]string) *cobra.Command { return make() }}
}

// addSubcommands adds subs to parent. When args (what follows parent's name
// on the command line) select one of them, as cobra will route them, that
// one alone is made: no other runs, and no help or usage it prints names a
// sibling. Otherwise (parent itself runs, help on parent, a mistyped name)
// all are made, for parent's usage and cobra's suggestions. Each one's help
// texts are read from the catalogue only when it is made.
func (a *app) addSubcommands(parent *cobra.Command, args []string, subs ...subcommand) {
	// Route args through stand-ins that have the names alone. parent has
	// its help flag now, as when cobra routes the run, so that a flag
	// between the names is skipped the same way.
	a.helpFlag(parent)
	stubs := make([]*cobra.Command, len(subs))
	for i, s := range subs {
		stubs[i] = &cobra.Command{Use: s.name}
	}
	parent.AddCommand(stubs...)
	found, rest, err := parent.Find(args)
	parent.RemoveCommand(stubs...)
	for i, s := range subs {
		switch {
		case err == nil && found == stubs[i]:
			parent.AddCommand(s.make(rest))
		case err != nil || found == parent:
			parent.AddCommand(s.make(nil))
		}
	}
}

// helpFlag gives c its translated -h/--help flag.
func (a *app) helpFlag(c *cobra.Command) {
	if c.Flags().Lookup("help") == nil {
		c.Flags().BoolP("help", "h", false, a.t("cli.flag.help", "Command", c.Name()))
	}
}

// localizeHelp gives every command a translated -h/--help flag, help command
// and usage text.
func (a *app) localizeHelp(root *cobra.Command) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		a.helpFlag(c)
		c.SetUsageFunc(a.usage)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	root.SetHelpCommand(&cobra.Command{
		Use:   "help [command]",
		Short: a.t("cli.help.short"),
		RunE: func(c *cobra.Command, args []string) error {
			target, _, err := root.Find(args)
			if err != nil || target == nil {
				return usageError(fmt.Errorf("%s", a.t("cli.help.unknown", "Command", strings.Join(args, " "))))
			}
			return target.Help()
		},
	})
}

// usage writes a command's usage in the user's language, with its examples
// and exit codes.
func (a *app) usage(c *cobra.Command) error {
	w := c.OutOrStderr()
	fmt.Fprint(w, a.t("cli.usage.usage"))
	if c.Runnable() {
		fmt.Fprintf(w, "\n  %s", c.UseLine())
	}
	if c.HasAvailableSubCommands() {
		fmt.Fprintf(w, "\n  %s [command]", c.CommandPath())
	}
	if c.HasExample() {
		fmt.Fprintf(w, "\n\n%s\n%s", a.t("cli.usage.examples"), indent(c.Example))
	}
	if c.HasAvailableSubCommands() {
		fmt.Fprintf(w, "\n\n%s", a.t("cli.usage.commands"))
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() || sub.Name() == "help" {
				fmt.Fprintf(w, "\n  %-*s %s", sub.NamePadding(), sub.Name(), sub.Short)
			}
		}
	}
	if c.HasAvailableLocalFlags() {
		fmt.Fprintf(w, "\n\n%s\n%s", a.t("cli.usage.flags"), strings.TrimRight(c.LocalFlags().FlagUsages(), " \n"))
	}
	if c.HasAvailableInheritedFlags() {
		fmt.Fprintf(w, "\n\n%s\n%s", a.t("cli.usage.global_flags"), strings.TrimRight(c.InheritedFlags().FlagUsages(), " \n"))
	}
	if exit := c.Annotations["exit"]; exit != "" {
		fmt.Fprintf(w, "\n\n%s\n%s", a.t("cli.usage.exit_codes"), indent(exit))
	}
	if c.HasAvailableSubCommands() {
		fmt.Fprintf(w, "\n\n%s", a.t("cli.usage.more", "Command", c.CommandPath()))
	}
	fmt.Fprintln(w)
	return nil
}

// indent puts two spaces before every line of s.
func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "  " + l
		}
	}
	return strings.Join(lines, "\n")
}

// writeJSON writes v to stdout as indented JSON, with the characters a
// terminal could act on escaped (safetext.JSON); it parses to the same values.
func (a *app) writeJSON(v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = a.env.Stdout.Write(append(safetext.JSON(b), '\n'))
	return err
}

// println writes one line to w.
func (a *app) println(w io.Writer, s string) { fmt.Fprintln(w, s) }
