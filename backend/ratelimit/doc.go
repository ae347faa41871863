// Package ratelimit shares one provider's capacity between concurrent requests: an
// adaptive limiter (additive increase, multiplicative decrease, Retry-After pauses) and
// Do, which makes one request under it with retries. Batch runs and test suite runs use it.
package ratelimit
