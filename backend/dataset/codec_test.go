package dataset

import "testing"

func TestContainsFold(t *testing.T) {
	cases := []struct {
		s, w string
		want bool
	}{
		{"Hello user: there", "User:", true},
		{"USER:", "User:", true},
		{"User", "User:", false},
		{"a user :", "User:", false},
		{":::", "User:", false},
		{"x<IMAGE>y", "<image>", true},
		{"<imag>", "<image>", false},
		{"end [eos]", "[EOS]", true},
		{"über: Bot:", "Bot:", true},
		{"no keyword here", "Assistant:", false},
		{"abc", "b", true},
		{"aBc", "bc", true},
		{"", "a", false},
		{"a", "", true},
	}
	for _, c := range cases {
		if got := containsFold(c.s, c.w); got != c.want {
			t.Errorf("containsFold(%q, %q) = %v", c.s, c.w, got)
		}
	}
}
