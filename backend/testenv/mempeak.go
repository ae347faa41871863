package testenv

import (
	"os"
	"runtime"
	"sync"
	"syscall"
	"time"
)

// CPUTime is the CPU time this process has used (user and system), for benchmarks that
// report work per CPU-second.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// MemPeak samples the heap in use every 10 ms from StartMemPeak to Stop; the kernel's peak
// resident memory (VmHWM) is reset at the start.
type MemPeak struct {
	done chan struct{}
	wg   sync.WaitGroup
	heap uint64
}

// StartMemPeak starts sampling.
func StartMemPeak() *MemPeak {
	runtime.GC()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	m := &MemPeak{done: make(chan struct{})}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			m.heap = max(m.heap, ms.HeapInuse)
			select {
			case <-m.done:
				return
			case <-t.C:
			}
		}
	}()
	return m
}

// Stop returns the peak heap in use and the peak resident memory, in bytes.
func (m *MemPeak) Stop() (heap, rss uint64) {
	close(m.done)
	m.wg.Wait()
	return m.heap, uint64(max(procStatus("VmHWM"), 0))
}
