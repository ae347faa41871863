package secrets

import (
	"context"
	"sync"
)

// Memory keeps secrets in process memory only. It backs tests of code that uses a Store and
// the browser-served studio in tests; it never writes anywhere.
type Memory struct {
	mu sync.Mutex
	m  map[string]string
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory { return &Memory{m: map[string]string{}} }

func (m *Memory) Get(name string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.m[name]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

func (m *Memory) Set(name, value string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[name] = value
	return nil
}

func (m *Memory) Delete(name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.m, name)
	return nil
}

func (m *Memory) Status(context.Context) Status {
	return Status{Available: true, Backend: "memory", Detail: "keys are kept in memory for this run only"}
}

var _ Store = (*Memory)(nil)
