package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestEmptyLists(t *testing.T) {
	type inner struct {
		Names []string        `json:"names"`
		Raw   json.RawMessage `json:"raw"`
		Bytes []byte          `json:"bytes"`
	}
	type outer struct {
		List  []inner           `json:"list"`
		Ptr   *inner            `json:"ptr"`
		Nil   *inner            `json:"nil"`
		Map   map[string]inner  `json:"map"`
		Any   any               `json:"any"`
		Tags  map[string]string `json:"tags"`
		Empty []int             `json:"empty,omitempty"`
		hid   []int
	}
	in := outer{List: []inner{{}}, Ptr: &inner{}, Map: map[string]inner{"a": {}}, Any: inner{}, hid: nil}
	b, err := json.Marshal(emptyLists(in))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"list":[{"names":[],"raw":null,"bytes":null}],"ptr":{"names":[],"raw":null,"bytes":null},"nil":null,` +
		`"map":{"a":{"names":[],"raw":null,"bytes":null}},"any":{"names":[],"raw":null,"bytes":null},"tags":null}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	if in.Ptr.Names != nil || in.List[0].Names != nil {
		t.Error("the value given was changed")
	}
}

// Lists in --json output are [] when empty, never null.
func TestJSONListsNeverNull(t *testing.T) {
	dir := t.TempDir()
	r := run(t, nil, "", "--data-dir", dir, "lore", "add", filepath.Join(world, "ashfall.md"), "--json")
	if r.code != ExitOK || strings.Contains(r.stdout, "null") || !strings.Contains(r.stdout, `"updated": []`) {
		t.Fatalf("lore add --json: %+v", r)
	}
}
