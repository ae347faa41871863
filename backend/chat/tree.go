package chat

// children groups message ids by parent, in the order they were made (msgs is oldest first).
func children(msgs []Message) map[string][]string {
	out := map[string][]string{}
	for _, m := range msgs {
		out[m.ParentID] = append(out[m.ParentID], m.ID)
	}
	return out
}

// ActivePath follows the active child of each message from the start: the conversation as
// the writer sees it and the model gets it next. Where no child is marked active (or the
// mark names a message that is not there) the newest child is taken.
func ActivePath(msgs []Message, active map[string]string) []string {
	kids := children(msgs)
	path := []string{}
	parent := ""
	for range len(msgs) { // bounded: a path visits each message at most once
		ks := kids[parent]
		if len(ks) == 0 {
			break
		}
		next := ks[len(ks)-1]
		if a, ok := active[parent]; ok {
			for _, k := range ks {
				if k == a {
					next = a
					break
				}
			}
		}
		path = append(path, next)
		parent = next
	}
	return path
}

// lineage returns the messages from the start to id (included), oldest first.
func lineage(byID map[string]Message, id string) []Message {
	var rev []Message
	for cur, n := id, 0; cur != "" && n <= len(byID); n++ {
		m, ok := byID[cur]
		if !ok {
			break
		}
		rev = append(rev, m)
		cur = m.ParentID
	}
	out := make([]Message, len(rev))
	for i, m := range rev {
		out[len(rev)-1-i] = m
	}
	return out
}
