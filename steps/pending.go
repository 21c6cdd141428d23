package steps

import (
	"context"
	"io"
)

type Package struct{ always }

func (Package) ID() string               { return "package" }
func (Package) Screen(c *Context) Screen { return newFormScreen(c) }
func (Package) Accessible(ctx context.Context, c *Context, r io.Reader, w io.Writer) error {
	return nil
}
