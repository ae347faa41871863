//go:build linux && !webkit2_41

package app

const webviewLibrary = "webkit2gtk-4.0"
