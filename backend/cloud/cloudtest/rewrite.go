package cloudtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
)

// rewriteItems edits one of moto's JSON answers on its way through a front: fix is called
// on every item of the first of lists the answer holds, or on the whole answer when it
// holds none of them (a Describe rather than a List). An answer that is not a JSON object
// passes unchanged.
func rewriteItems(res *http.Response, lists []string, fix func(item map[string]any)) error {
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return err
	}
	var doc map[string]any
	if json.Unmarshal(body, &doc) == nil {
		var items []any
		found := false
		for _, k := range lists {
			if items, found = doc[k].([]any); found {
				break
			}
		}
		if found {
			for _, it := range items {
				if item, ok := it.(map[string]any); ok {
					fix(item)
				}
			}
		} else {
			fix(doc)
		}
		if b, err := json.Marshal(doc); err == nil {
			body = b
		}
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	res.ContentLength = int64(len(body))
	res.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return nil
}
