package export

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/egovmd/egovsetup/assets"
)

// A letter is a letter template's output read as blocks. The template holds
// every word (assets/templates/request.tmpl); the .txt and the PDF are two
// layouts of the same blocks, so they never disagree.
type letter struct {
	blocks []letterBlock
}

// letterBlock is one block: its kind and its lines.
type letterBlock struct {
	kind  string
	lines []string
}

// letterKinds are the blocks a letter template may open ({{mark "…"}}):
//
//	meta     the PDF's title (not printed)
//	demo     the demonstration warning
//	sender   the institution: name, IDNO, address, contact
//	ref      the number and date line
//	to       the addressee
//	subject  "Cu privire la …"
//	para     a paragraph per line
//	item     a numbered heading, then its values
//	closing  the closing formula
//	signer   who signs
//	fields   labels of lines to fill in by hand (name, signature, date)
//	seal     the place of the stamp
var letterKinds = []string{"meta", "demo", "sender", "ref", "to", "subject", "para", "item",
	"closing", "signer", "fields", "seal"}

// parseLetter reads a letter template's output. Every value it shows was
// escaped (internal/safetext), so none holds the block mark.
func parseLetter(b []byte) (*letter, error) {
	l := &letter{}
	for i, line := range strings.Split(string(b), "\n") {
		if kind, ok := strings.CutPrefix(line, assets.BlockMark); ok {
			if !slices.Contains(letterKinds, kind) {
				return nil, fmt.Errorf("letter template: line %d: unknown block %q", i+1, kind)
			}
			l.blocks = append(l.blocks, letterBlock{kind: kind})
			continue
		}
		if len(l.blocks) == 0 {
			if strings.TrimSpace(line) != "" {
				return nil, fmt.Errorf("letter template: line %d: text before the first block", i+1)
			}
			continue
		}
		blk := &l.blocks[len(l.blocks)-1]
		blk.lines = append(blk.lines, line)
	}
	for i := range l.blocks {
		blk := &l.blocks[i]
		for len(blk.lines) > 0 && strings.TrimSpace(blk.lines[len(blk.lines)-1]) == "" {
			blk.lines = blk.lines[:len(blk.lines)-1]
		}
	}
	return l, nil
}

// block returns the first block of kind (nil if none).
func (l *letter) block(kind string) *letterBlock {
	for i := range l.blocks {
		if l.blocks[i].kind == kind {
			return &l.blocks[i]
		}
	}
	return nil
}

// first is the first line of the first block of kind ("" if none).
func (l *letter) first(kind string) string {
	if b := l.block(kind); b != nil && len(b.lines) > 0 {
		return b.lines[0]
	}
	return ""
}

// Text layout: columns of a plain-text letter.
const (
	textWidth     = 80 // paragraphs
	textSubject   = 72 // the subject line, narrower
	textToColumn  = 40 // the addressee's indentation
	textItemShift = 3  // an item's values under its heading
	textFillRule  = "________________________________"
)

// text sets the letter as plain text: the blocks one after another, an
// empty line between two, two after the subject and before the closing.
func (l *letter) text() []byte {
	var b bytes.Buffer
	prev := ""
	for _, blk := range l.blocks {
		if blk.kind == "meta" {
			continue
		}
		if prev != "" {
			b.WriteString("\n")
			if prev == "subject" || blk.kind == "closing" {
				b.WriteString("\n")
			}
		}
		prev = blk.kind
		textBlock(&b, blk)
	}
	return b.Bytes()
}

// textBlock sets one block as plain text.
func textBlock(b *bytes.Buffer, blk letterBlock) {
	switch blk.kind {
	case "to", "seal":
		for _, s := range blk.lines {
			b.WriteString(strings.Repeat(" ", textToColumn) + s + "\n")
		}
	case "subject":
		b.WriteString(assets.Wrap(textSubject, strings.Join(blk.lines, " ")) + "\n")
	case "para":
		for _, s := range blk.lines {
			b.WriteString(assets.Wrap(textWidth, s) + "\n")
		}
	case "item":
		for i, s := range blk.lines {
			if i > 0 && s != "" {
				s = strings.Repeat(" ", textItemShift) + s
			}
			b.WriteString(s + "\n")
		}
	case "fields":
		textFields(b, blk.lines)
	default:
		for _, s := range blk.lines {
			b.WriteString(s + "\n")
		}
	}
}

// textFields writes labels, each followed by a line to fill in by hand,
// the lines one under the other.
func textFields(b *bytes.Buffer, labels []string) {
	w := 0
	for _, s := range labels {
		w = max(w, utf8.RuneCountInString(s))
	}
	for i, s := range labels {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(s + strings.Repeat(" ", w+1-utf8.RuneCountInString(s)) + textFillRule + "\n")
	}
}

// addLetter renders a letter template and adds it to the package twice:
// name+".txt" for plain reading and name+".pdf" to sign (with MSign or by
// hand). author is the institution, named in the PDF's metadata.
func (p *pkg) addLetter(tmpl, name string, data *docData) error {
	b, err := render(tmpl, data)
	if err != nil {
		return err
	}
	l, err := parseLetter(b)
	if err != nil {
		return err
	}
	p.add(name+".txt", l.text())
	pdf, err := l.pdf(pdfInfo{Author: data.Org.Name, Created: p.now})
	if err != nil {
		return err
	}
	p.add(name+".pdf", pdf)
	return nil
}
