//go:build !linux

package app

const webviewLibrary = "system web view"
