// Package fakecore is what the model-server fakes share: a queue of scripted replies that
// falls back to a default, a log of the requests received, and a signal that the server is
// closing so handlers told to hang let go.
package fakecore

import "sync"

// Core is embedded in each fake's Server.
type Core[Reply, Request any] struct {
	// Default is how a request is answered when no scripted reply is queued.
	Default Reply

	mu       sync.Mutex
	queue    []Reply
	requests []Request
	once     sync.Once
	closed   chan struct{}
}

// Script queues replies: each request takes the next one, then Default answers.
func (c *Core[Reply, Request]) Script(replies ...Reply) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.queue = append(c.queue, replies...)
}

// Requests returns what the fake has received so far.
func (c *Core[Reply, Request]) Requests() []Request {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Request(nil), c.requests...)
}

// Next takes the next scripted reply, or Default; queued says which.
func (c *Core[Reply, Request]) Next() (r Reply, queued bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.queue) == 0 {
		return c.Default, false
	}
	r = c.queue[0]
	c.queue = c.queue[1:]
	return r, true
}

// Record logs a received request.
func (c *Core[Reply, Request]) Record(req Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.requests = append(c.requests, req)
}

// Closed is closed when the server closes.
func (c *Core[Reply, Request]) Closed() <-chan struct{} { return c.signal() }

func (c *Core[Reply, Request]) signal() chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed == nil {
		c.closed = make(chan struct{})
	}
	return c.closed
}

// Release lets every handler waiting on Closed go; call it before closing the server.
func (c *Core[Reply, Request]) Release() {
	ch := c.signal()
	c.once.Do(func() { close(ch) })
}
