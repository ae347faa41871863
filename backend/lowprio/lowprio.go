// Package lowprio marks work that runs in the background (embedding a library, say) so
// that the goroutines doing it can run their threads at a lower scheduling priority than
// the window and the writer's own requests.
package lowprio

import "context"

// Nice is how much nicer a background thread is than the one it started from (niceness
// runs from -20, the most favoured, to 19, the least).
const Nice = 10

type key struct{}

// Background marks ctx as background work.
func Background(ctx context.Context) context.Context {
	return context.WithValue(ctx, key{}, true)
}

// Is says whether ctx was marked as background work.
func Is(ctx context.Context) bool {
	b, _ := ctx.Value(key{}).(bool)
	return b
}
