package export

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/signintech/gopdf"

	"github.com/egovmd/egovsetup/assets"
)

// pdfInfo is what a letter's PDF says about itself beyond its text.
type pdfInfo struct {
	Author  string    // the institution
	Created time.Time // the build time: the same answers and time give the same bytes
}

// letterLang is the language of the letters' text, in the PDF's catalog.
const letterLang = "ro-MD"

// The page: A4 with the margins of an official letter (left 30 mm for
// binding, right 15, top and bottom 20), set in a Times-metric serif.
const (
	pageW, pageH = 210.0, 297.0
	marginL      = 30.0
	marginR      = 15.0
	marginT      = 20.0
	marginB      = 20.0
	contentW     = pageW - marginL - marginR
	bodySize     = 12.0
	smallSize    = 11.0
	leading      = 1.1 // line height over font size
	ptToMM       = 25.4 / 72
	paraIndent   = 12.5 // the first line of a paragraph
	itemIndent   = 8.0  // an item's values under its heading
	toX          = 120.0
	subjectW     = 80.0
	fieldLine    = 70.0 // a line to fill in by hand
	fieldRowH    = 7.0
	sealX        = 160.0
	// The fonts' PDF names: a subset is named with a six-letter tag and "+"
	// (ISO 32000-1, 9.6.4); gopdf turns the space into the "+".
	fontRegular   = "EGVSRR LiberationSerif"
	fontBold      = "EGVSRB LiberationSerif-Bold"
	missingGlyph  = '?'
	creatorString = "egovsetup"
)

// pdfWriter lays a letter out on pages.
type pdfWriter struct {
	gp *gopdf.GoPdf
	y  float64
	lh float64 // the current font's line height, mm
	// colTop and leftBottom: where the number line began and ended (the
	// addressee goes beside it); fieldsTop: where the lines to fill in
	// began (the seal goes beside them).
	colTop, leftBottom, fieldsTop float64
}

// pdf sets the letter on A4 pages: text in an embedded subset of the font
// (selectable, with a Unicode map for extraction), no scripts, no forms.
func (l *letter) pdf(info pdfInfo) ([]byte, error) {
	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{PageSize: gopdf.Rect{W: pageW, H: pageH}, Unit: gopdf.UnitMM})
	opt := gopdf.TtfOption{OnGlyphNotFoundSubstitute: func(rune) rune { return missingGlyph }}
	if err := gp.AddTTFFontDataWithOption(fontRegular, assets.SerifRegular, opt); err != nil {
		return nil, err
	}
	if err := gp.AddTTFFontDataWithOption(fontBold, assets.SerifBold, opt); err != nil {
		return nil, err
	}
	gp.SetInfo(gopdf.PdfInfo{
		Title: l.first("meta"), Author: info.Author, Subject: strings.Join(l.blockLines("subject"), " "),
		Creator: creatorString, Producer: creatorString, CreationDate: info.Created,
	})
	gp.AddPage()
	w := &pdfWriter{gp: gp, y: marginT}
	if err := w.letter(l); err != nil {
		return nil, err
	}
	b, err := gp.GetBytesPdfReturnErr()
	if err != nil {
		return nil, err
	}
	return withCatalogEntries(b, "/Lang ("+letterLang+")", "/ViewerPreferences << /DisplayDocTitle true >>")
}

func (l *letter) blockLines(kind string) []string {
	if b := l.block(kind); b != nil {
		return b.lines
	}
	return nil
}

func (w *pdfWriter) font(family string, size float64) error {
	w.lh = size * leading * ptToMM
	return w.gp.SetFont(family, "", size)
}

// letter lays out every block in the template's order, which is also the
// reading order: the number line on the left with the addressee beside it
// on the right, then the subject on the left under both.
func (w *pdfWriter) letter(l *letter) error {
	for _, blk := range l.blocks {
		if err := w.block(blk); err != nil {
			return err
		}
	}
	return nil
}

// block lays out one block by its kind (see letterKinds).
func (w *pdfWriter) block(blk letterBlock) error {
	switch blk.kind {
	case "demo":
		return w.demo(blk.lines)
	case "sender":
		return w.sender(blk.lines)
	case "ref":
		w.colTop = w.y
		err := w.text(fontRegular, bodySize, blk.lines, marginL, toX-marginL-5)
		w.leftBottom = w.y
		return err
	case "to":
		w.y = w.colTop
		err := w.text(fontBold, bodySize, blk.lines, toX, pageW-marginR-toX)
		w.y = max(w.y, w.leftBottom)
		return err
	case "subject":
		w.y += 3
		err := w.text(fontBold, smallSize, []string{strings.Join(blk.lines, " ")}, marginL, subjectW)
		w.y += 5
		return err
	case "para":
		return w.paras(blk.lines)
	case "item":
		return w.item(blk.lines)
	case "closing":
		w.y += 4
		err := w.text(fontRegular, bodySize, blk.lines, marginL, contentW)
		w.y += 3
		return err
	case "signer":
		err := w.text(fontBold, bodySize, blk.lines, marginL, contentW)
		w.y += 2
		return err
	case "fields":
		w.fieldsTop = w.y
		return w.fields(blk.lines)
	case "seal":
		return w.seal(blk.lines)
	}
	return nil // "meta": the PDF's title, not printed
}

// text writes lines in a font, wrapped to width mm starting at x.
func (w *pdfWriter) text(family string, size float64, ls []string, x, width float64) error {
	if err := w.font(family, size); err != nil {
		return err
	}
	return w.lines(ls, x, width, 0)
}

// demo writes the demonstration warning in red.
func (w *pdfWriter) demo(ls []string) error {
	if err := w.font(fontBold, smallSize); err != nil {
		return err
	}
	w.gp.SetTextColor(170, 0, 0)
	err := w.lines(ls, marginL, contentW, 0)
	w.gp.SetTextColor(0, 0, 0)
	w.y += 3
	return err
}

// sender writes the institution's name large and bold, its details under
// it, and a rule across the page.
func (w *pdfWriter) sender(ls []string) error {
	for i, s := range ls {
		style, size := fontRegular, smallSize
		if i == 0 {
			style, size = fontBold, bodySize+1
		}
		if err := w.text(style, size, []string{s}, marginL, contentW); err != nil {
			return err
		}
	}
	w.y += 1.5
	w.gp.SetLineWidth(0.4)
	w.gp.Line(marginL, w.y, pageW-marginR, w.y)
	w.y += 5
	return nil
}

// paras writes one paragraph per line, its first row indented.
func (w *pdfWriter) paras(ls []string) error {
	if err := w.font(fontRegular, bodySize); err != nil {
		return err
	}
	for _, s := range ls {
		if err := w.lines([]string{s}, marginL, contentW, paraIndent); err != nil {
			return err
		}
	}
	w.y += 2.5
	return nil
}

// item writes a numbered heading and its values indented under it.
func (w *pdfWriter) item(ls []string) error {
	if err := w.font(fontRegular, bodySize); err != nil {
		return err
	}
	if len(ls) > 0 {
		if err := w.lines(ls[:1], marginL+paraIndent, contentW-paraIndent, 0); err != nil {
			return err
		}
		if err := w.lines(ls[1:], marginL+paraIndent+itemIndent, contentW-paraIndent-itemIndent, 0); err != nil {
			return err
		}
	}
	w.y += 1
	return nil
}

// seal writes the place of the stamp on the right, level with the middle
// of the lines to fill in by hand.
func (w *pdfWriter) seal(ls []string) error {
	if err := w.font(fontRegular, bodySize); err != nil {
		return err
	}
	y := w.y
	if w.fieldsTop > 0 && w.y-w.fieldsTop > w.lh {
		w.y = w.fieldsTop + (w.y-w.fieldsTop)/2 - w.lh
	}
	err := w.lines(ls, sealX, pageW-marginR-sealX, 0)
	w.y = max(w.y, y)
	return err
}

// fields writes labels, each followed by a line to fill in by hand.
func (w *pdfWriter) fields(labels []string) error {
	if err := w.font(fontRegular, bodySize); err != nil {
		return err
	}
	lw := 0.0
	for _, s := range labels {
		m, err := w.gp.MeasureTextWidth(s)
		if err != nil {
			return err
		}
		lw = max(lw, m)
	}
	lw = min(lw, contentW-fieldLine)
	w.gp.SetLineWidth(0.2)
	for _, s := range labels {
		w.y += fieldRowH - w.lh
		if err := w.lines([]string{s}, marginL, lw+2, 0); err != nil {
			return err
		}
		base := w.y - 1
		w.gp.Line(marginL+lw+3, base, marginL+lw+3+fieldLine, base)
	}
	w.y += 2
	return nil
}

// lines writes each line wrapped to width mm starting at x, the first
// line of each indented by indent; a new page begins when one is full.
func (w *pdfWriter) lines(ls []string, x, width, indent float64) error {
	for _, s := range ls {
		rows, err := w.wrap(s, width, indent)
		if err != nil {
			return err
		}
		for i, r := range rows {
			if w.y+w.lh > pageH-marginB {
				w.gp.AddPage()
				w.y = marginT
			}
			dx := 0.0
			if i == 0 {
				dx = indent
			}
			w.gp.SetXY(x+dx, w.y)
			if r != "" {
				if err := w.gp.Cell(nil, r); err != nil {
					return err
				}
			}
			w.y += w.lh
		}
	}
	return nil
}

// leadingSpace is the indentation s starts with, a tab counted as four
// spaces (a PDF has no tab stops), and the rest of s.
func leadingSpace(s string) (lead, rest string) {
	rest = strings.TrimLeft(s, " \t")
	lead = strings.ReplaceAll(s[:len(s)-len(rest)], "\t", "    ")
	return lead, rest
}

// wrap breaks s at spaces into rows that fit width mm in the current font
// (the first row indent mm narrower); a word wider than a row is broken
// between characters. A line that starts indented (several lines of "other
// information") keeps its indentation on every row.
func (w *pdfWriter) wrap(s string, width, indent float64) ([]string, error) {
	lead, s := leadingSpace(s)
	if lead == "" {
		return w.wrapWords(s, width, indent)
	}
	m, err := w.gp.MeasureTextWidth(lead)
	if err != nil {
		return nil, err
	}
	rows, err := w.wrapWords(s, width-m, indent)
	for i := range rows {
		rows[i] = lead + rows[i]
	}
	return rows, err
}

// rowFiller fills rows of a width, the first one narrower.
type rowFiller struct {
	w            *pdfWriter
	rows         []string
	width, avail float64
}

func (f *rowFiller) fits(t string) (bool, error) {
	m, err := f.w.gp.MeasureTextWidth(t)
	return m <= f.avail, err
}

func (f *rowFiller) push(t string) {
	f.rows = append(f.rows, t)
	f.avail = f.width
}

// wrapWords is wrap for a line that starts with no indentation.
func (w *pdfWriter) wrapWords(s string, width, indent float64) ([]string, error) {
	f := &rowFiller{w: w, width: width, avail: width - indent}
	row := ""
	for _, word := range strings.Fields(s) {
		cand := word
		if row != "" {
			cand = row + " " + word
		}
		ok, err := f.fits(cand)
		if err != nil {
			return nil, err
		}
		if ok {
			row = cand
			continue
		}
		if row != "" {
			f.push(row)
		}
		if row, err = f.breakWord(word); err != nil {
			return nil, err
		}
	}
	if row != "" || len(f.rows) == 0 {
		f.rows = append(f.rows, row)
	}
	return f.rows, nil
}

// breakWord pushes rows of a word wider than a row, broken between
// characters, and returns what is left of it (the whole word if it fits).
func (f *rowFiller) breakWord(word string) (string, error) {
	for word != "" {
		if ok, err := f.fits(word); err != nil || ok {
			return word, err
		}
		r := []rune(word)
		n := 1
		for n < len(r) {
			ok, err := f.fits(string(r[:n+1]))
			if err != nil {
				return "", err
			}
			if !ok {
				break
			}
			n++
		}
		f.push(string(r[:n]))
		word = string(r[n:])
	}
	return word, nil
}

// withCatalogEntries adds entries to the document catalog (object 1) of a
// PDF written with a classic cross-reference table, and shifts the offsets
// of the objects after it. gopdf writes no /Lang; this puts the document's
// language where PDF readers and screen readers look for it.
func withCatalogEntries(b []byte, entries ...string) ([]byte, error) {
	const catalog = "1 0 obj\n<<\n  /Type /Catalog\n"
	at := bytes.Index(b, []byte(catalog))
	if at < 0 {
		return nil, errors.New("pdf: document catalog not found")
	}
	at += len(catalog)
	var add bytes.Buffer
	for _, e := range entries {
		add.WriteString("  " + e + "\n")
	}
	n := add.Len()
	xrefAt := bytes.LastIndex(b, []byte("\nxref\n"))
	startAt := bytes.LastIndex(b, []byte("\nstartxref\n"))
	if xrefAt < at || startAt < xrefAt {
		return nil, errors.New("pdf: cross-reference table not found")
	}
	xrefAt++
	var out bytes.Buffer
	out.Write(b[:at])
	out.Write(add.Bytes())
	out.Write(b[at:xrefAt])
	// The table: "xref", "0 N", then N entries "oooooooooo ggggg n \n".
	rest := string(b[xrefAt:startAt])
	lines := strings.SplitAfter(rest, "\n")
	for _, ln := range lines {
		if len(ln) == 20 && strings.HasSuffix(ln, " n \n") {
			off, err := strconv.ParseInt(ln[:10], 10, 64)
			if err != nil {
				return nil, fmt.Errorf("pdf: cross-reference entry %q: %w", ln, err)
			}
			if off >= int64(at) {
				off += int64(n)
			}
			ln = fmt.Sprintf("%010d%s", off, ln[10:])
		}
		out.WriteString(ln)
	}
	tail := string(b[startAt+len("\nstartxref\n"):])
	num, after, ok := strings.Cut(tail, "\n")
	start, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if !ok || err != nil {
		return nil, errors.New("pdf: startxref not found")
	}
	fmt.Fprintf(&out, "\nstartxref\n%d\n%s", start+int64(n), after)
	return out.Bytes(), nil
}
