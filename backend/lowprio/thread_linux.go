package lowprio

import (
	"runtime"

	"golang.org/x/sys/unix"
)

// LowerThread locks the calling goroutine to its OS thread and makes that thread Nice
// steps nicer than it was (at most 19). The goroutine must not unlock: when it ends, Go
// ends the thread with it, so no other goroutine ever runs at the lowered priority.
func LowerThread() error {
	runtime.LockOSThread()
	n, err := ThreadNice()
	if err != nil {
		return err
	}
	return unix.Setpriority(unix.PRIO_PROCESS, unix.Gettid(), min(19, n+Nice))
}

// ThreadNice is the calling thread's niceness.
func ThreadNice() (int, error) {
	// getpriority(2) returns 20 - nice on Linux.
	p, err := unix.Getpriority(unix.PRIO_PROCESS, unix.Gettid())
	return 20 - p, err
}
