// Package app is the application layer: one service per area, bound to the window and called
// by the command line, so both behave the same. Bound methods take one request struct and
// return (T, error); long work returns an operation id and reports through events named
// after it. This package, with window.go the only file importing Wails, is kept thin: the
// work itself lives in backend/.
package app
