package prose

import "testing"

func TestNameEscapesControlAndBidiCharacters(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ember-court.md", "ember-court.md"},
		{"Émile's notes (draft).md", "Émile's notes (draft).md"},
		{"حكاية.md", "حكاية.md"},
		{"report\u202egpj.exe", `"report\u202egpj.exe"`},
		{"a\u2066b\u2069.md", `"a\u2066b\u2069.md"`},
		{"mark\u200e.txt", `"mark\u200e.txt"`},
		{"rlm\u200f.txt", `"rlm\u200f.txt"`},
		{"bell\a\x1b[2J.md", `"bell\a\x1b[2J.md"`},
		{"c1\u0085\u009b.md", `"c1\u0085\u009b.md"`},
		{"two\nlines.md", `"two\nlines.md"`},
		{"bad\xffutf8.md", `"bad\xffutf8.md"`},
	}
	for _, tt := range tests {
		if got := Name(tt.in); got != tt.want {
			t.Errorf("Name(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestSafeEscapesOnlyWhatDoesNotShow(t *testing.T) {
	tests := []struct{ in, want string }{
		{"lore/ember-court.md: not lore", "lore/ember-court.md: not lore"},
		{"line 1\n\tline 2", "line 1\n\tline 2"},
		{"x/report\u202egpj.exe: not lore", `x/report\u202egpj.exe: not lore`},
		{"\x1b[31mred\x1b[0m.md: empty", `\x1b[31mred\x1b[0m.md: empty`},
		{"bad\xff.md", `bad\xff.md`},
		{"isolate\u2067.md and \u202a", `isolate\u2067.md and \u202a`},
	}
	for _, tt := range tests {
		if got := Safe(tt.in); got != tt.want {
			t.Errorf("Safe(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestSlug(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"Ashfall Chronicles", 60, "ashfall-chronicles"},
		{"Émile's Ødyssey!", 60, "emile-s-dyssey"},
		{"city_12", 60, "city-12"},
		{"北京", 60, ""},
		{"  --Ember--Court ", 60, "ember-court"},
		{"the ember court of ashfall", 10, "the-ember"},
	} {
		if got := Slug(c.in, c.max); got != c.want {
			t.Errorf("Slug(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}
