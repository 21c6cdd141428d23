package assets

import _ "embed"

// The serif font the PDF letters are set in: Liberation Serif 2.1.5, regular
// and bold (SIL Open Font License 1.1, fonts/LICENSE). It has the Romanian
// letters with comma below (ș ț) and Cyrillic, and the metrics of Times New
// Roman, the usual face of a Moldovan official letter. A PDF embeds only the
// glyphs it uses.
var (
	//go:embed fonts/LiberationSerif-Regular.ttf
	SerifRegular []byte
	//go:embed fonts/LiberationSerif-Bold.ttf
	SerifBold []byte
)
