package batch

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// LineID is the id of a line: scene, persona, beat and variant, as
// <scene>-<persona>-<beat>-<variant>, with the persona's name slugged. It depends on
// nothing else, so a line keeps its id across regenerations, re-runs and edits of other
// scenes. Scene and beat ids are identifiers ([A-Za-z_][A-Za-z0-9_]*) and slugs are
// [a-z0-9_], so the hyphens cannot be ambiguous, and the id is valid in a Yarn Spinner
// #line: tag (which ends at white space, '#', '$' or '<').
func LineID(scene, persona, beat string, variant int) string {
	return fmt.Sprintf("%s-%s-%s-%d", scene, Slug(persona), beat, variant)
}

// Slug is name in lower case ASCII letters, digits and underscores: accents dropped,
// every other run of characters one underscore. A name with no such character at all
// slugs to "x".
func Slug(name string) string {
	var b strings.Builder
	under := false
	for _, r := range norm.NFKD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(unicode.ToLower(r))
		default:
			under = true
		}
	}
	if b.Len() == 0 {
		return "x"
	}
	return b.String()
}

// checkLineIDs refuses a spec in which two lines would get one id (two personas whose
// names slug the same in one scene).
func checkLineIDs(file string, s Spec) error {
	for _, sc := range s.Scenes {
		seen := map[string]string{}
		for _, p := range sc.Personas {
			slug := Slug(p)
			if other, ok := seen[slug]; ok && !strings.EqualFold(other, p) {
				return specErrAt(file, sc.Line, "personas", "scene %q has personas %q and %q, whose line ids would be the same (%s): rename one", sc.ID, other, p, slug)
			}
			seen[slug] = p
		}
	}
	return nil
}
