//go:build !linux

package lowprio

import "runtime"

// LowerThread locks the calling goroutine to its OS thread; the priority of a single
// thread is lowered on Linux only.
func LowerThread() error {
	runtime.LockOSThread()
	return nil
}

// ThreadNice is 0 where a thread's own priority is not read.
func ThreadNice() (int, error) { return 0, nil }
