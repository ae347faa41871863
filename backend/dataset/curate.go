package dataset

import (
	"context"
	"fmt"
	"github.com/npcstudio/npcstudio/backend/prose"
	"regexp"
	"slices"

	"github.com/npcstudio/npcstudio/backend/store"
	bolt "go.etcd.io/bbolt"
)

// FindReplaceRequest finds text in a dataset's records and, with Apply, replaces it.
type FindReplaceRequest struct {
	DatasetID   string `json:"datasetId"`
	BaseVersion int    `json:"baseVersion"`
	Find        string `json:"find"`
	Replace     string `json:"replace"`
	// Regex makes Find a Go regular expression; Replace may then use $1, ${name}.
	Regex     bool `json:"regex"`
	MatchCase bool `json:"matchCase"`
	// Fields limits the search to "system", "user" and/or "assistant" texts; empty means all.
	Fields []string `json:"fields"`
	// Apply writes the replacement as a new version; without it the call only counts (preview).
	Apply bool `json:"apply"`
}

// FindReplaceResult counts what was (or would be) replaced.
type FindReplaceResult struct {
	Matches int `json:"matches"`
	Records int `json:"records"`
	// Samples shows up to 20 changed records, before and after.
	Samples []RecordChange `json:"samples"`
	// Version is the new version when applied (the searched one otherwise).
	Version Version `json:"version"`
}

const maxSamples = 20

type replacer struct {
	re      *regexp.Regexp
	literal bool
	repl    string
	fields  map[string]bool
}

func newReplacer(req FindReplaceRequest) (*replacer, error) {
	if req.Find == "" {
		return nil, &Problem{Field: "find", Message: "nothing to find"}
	}
	pattern := req.Find
	if !req.Regex {
		pattern = regexp.QuoteMeta(pattern)
	}
	if !req.MatchCase {
		pattern = "(?i)" + pattern
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, &Problem{Field: "find", Message: "not a valid regular expression: " + err.Error()}
	}
	rp := &replacer{re: re, literal: !req.Regex, repl: req.Replace, fields: map[string]bool{}}
	for _, f := range req.Fields {
		switch f {
		case "system", RoleUser, RoleAssistant:
			rp.fields[f] = true
		default:
			return nil, &Problem{Field: "fields", Message: fmt.Sprintf("%q is not system, user or assistant", f)}
		}
	}
	if len(rp.fields) == 0 {
		rp.fields = map[string]bool{"system": true, RoleUser: true, RoleAssistant: true}
	}
	return rp, nil
}

func (rp *replacer) text(s string) (string, int) {
	n := len(rp.re.FindAllStringIndex(s, -1))
	if n == 0 {
		return s, 0
	}
	if rp.literal {
		return rp.re.ReplaceAllLiteralString(s, rp.repl), n
	}
	return rp.re.ReplaceAllString(s, rp.repl), n
}

// apply returns the record with replacements made and the number of matches.
func (rp *replacer) apply(d recordDoc) (recordDoc, int) {
	out := d
	out.Record = cloneRecord(d.Record)
	total := 0
	if rp.fields["system"] {
		var n int
		out.Record.System, n = rp.text(out.Record.System)
		total += n
	}
	for i, m := range out.Record.Messages {
		if !rp.fields[m.Role] {
			continue
		}
		var n int
		out.Record.Messages[i].Content, n = rp.text(m.Content)
		total += n
	}
	return out, total
}

// FindReplace counts matches (preview) or, with req.Apply, replaces them as a new version.
func (r *Repository) FindReplace(ctx context.Context, req FindReplaceRequest) (FindReplaceResult, error) {
	rp, err := newReplacer(req)
	if err != nil {
		return FindReplaceResult{}, fmt.Errorf("find and replace: %w", err)
	}
	res := FindReplaceResult{Samples: []RecordChange{}}
	visit := func(i int, e entry, d recordDoc) (recordDoc, bool) {
		nd, n := rp.apply(d)
		if n == 0 {
			return d, false
		}
		res.Matches += n
		res.Records++
		if len(res.Samples) < maxSamples {
			before, after := view(e.ID, i+1, d), view(e.ID, i+1, nd)
			res.Samples = append(res.Samples, RecordChange{ID: e.ID, Kind: ChangeChanged, FromLine: i + 1, ToLine: i + 1, Before: &before, After: &after})
		}
		return nd, true
	}
	if !req.Apply {
		err = r.st.View(func(tx *bolt.Tx) error {
			ds, n, entries, err := r.readVersion(tx, req.DatasetID, req.BaseVersion)
			if err != nil {
				return err
			}
			res.Version, err = getVersion(tx, ds.ID, n)
			if err != nil {
				return err
			}
			for i, e := range entries {
				d, err := r.loadRecord(tx, ds.ID, e)
				if err != nil {
					return err
				}
				visit(i, e, d)
			}
			return nil
		})
	} else {
		res.Version, err = r.change(ctx, req.DatasetID, req.BaseVersion, func(c *changeSet) (string, error) {
			for i, e := range c.entries {
				d, err := c.record(e)
				if err != nil {
					return "", err
				}
				nd, changed := visit(i, e, d)
				if !changed {
					continue
				}
				if c.entries[i].Hash, err = c.put(nd); err != nil {
					return "", err
				}
			}
			return fmt.Sprintf("replace %q with %q in %s", req.Find, req.Replace, prose.Count(res.Records, "record")), nil
		})
	}
	if err != nil {
		return FindReplaceResult{}, fmt.Errorf("find and replace: %w", err)
	}
	return res, nil
}

func getVersion(tx *bolt.Tx, id string, n int) (Version, error) {
	if n == 0 {
		return Version{DatasetID: id}, nil
	}
	var v versionDoc
	if err := store.GetJSON(tx, BucketVersions, versionKey(id, n), &v); err != nil {
		return Version{}, fmt.Errorf("dataset %s version %d: %w", id, n, err)
	}
	return v.dto(id), nil
}

// TagRequest adds and removes tags on records.
type TagRequest struct {
	DatasetID   string   `json:"datasetId"`
	BaseVersion int      `json:"baseVersion"`
	IDs         []string `json:"ids"`
	Add         []string `json:"add"`
	Remove      []string `json:"remove"`
}

// TagRecords changes the tags of the records as a new version.
func (r *Repository) TagRecords(ctx context.Context, req TagRequest) (Version, error) {
	if len(req.IDs) == 0 {
		return Version{}, fmt.Errorf("tag records: %w", &Problem{Field: "ids", Message: "no records chosen"})
	}
	add, remove := normalizeTags(req.Add), normalizeTags(req.Remove)
	v, err := r.change(ctx, req.DatasetID, req.BaseVersion, func(c *changeSet) (string, error) {
		want := map[string]bool{}
		for _, id := range req.IDs {
			want[id] = true
		}
		for i, e := range c.entries {
			if !want[e.ID] {
				continue
			}
			delete(want, e.ID)
			d, err := c.record(e)
			if err != nil {
				return "", err
			}
			tags := slices.DeleteFunc(slices.Clone(d.Tags), func(t string) bool { return slices.Contains(remove, t) })
			d.Tags = normalizeTags(append(tags, add...))
			if c.entries[i].Hash, err = c.put(d); err != nil {
				return "", err
			}
		}
		for id := range want {
			return "", fmt.Errorf("record %s: %w", id, store.ErrNotFound)
		}
		return fmt.Sprintf("tag %s (+%v -%v)", prose.Count(len(req.IDs), "record"), add, remove), nil
	})
	if err != nil {
		return Version{}, fmt.Errorf("tag records: %w", err)
	}
	return v, nil
}

// TagCount is a tag and how many records carry it.
type TagCount struct {
	Tag     string `json:"tag"`
	Records int    `json:"records"`
}

// Tags lists the tags used in a version (0: the latest), most used first.
func (r *Repository) Tags(ctx context.Context, datasetID string, version int) ([]TagCount, error) {
	counts := map[string]int{}
	err := r.eachRecord(ctx, datasetID, version, func(_ int, _ entry, d recordDoc) error {
		for _, t := range d.Tags {
			counts[t]++
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list tags: %w", err)
	}
	out := make([]TagCount, 0, len(counts))
	for t, n := range counts {
		out = append(out, TagCount{Tag: t, Records: n})
	}
	slices.SortFunc(out, func(a, b TagCount) int {
		if a.Records != b.Records {
			return b.Records - a.Records
		}
		if a.Tag < b.Tag {
			return -1
		}
		return 1
	})
	return out, nil
}

// eachRecord calls fn for every record of a version in line order, in one read transaction.
func (r *Repository) eachRecord(ctx context.Context, datasetID string, version int, fn func(i int, e entry, d recordDoc) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return r.st.View(func(tx *bolt.Tx) error {
		ds, _, entries, err := r.readVersion(tx, datasetID, version)
		if err != nil {
			return err
		}
		for i, e := range entries {
			if i%512 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			d, err := r.loadRecord(tx, ds.ID, e)
			if err != nil {
				return err
			}
			if err := fn(i, e, d); err != nil {
				return err
			}
		}
		return nil
	})
}
