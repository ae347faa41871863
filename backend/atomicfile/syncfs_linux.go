//go:build linux

package atomicfile

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncFS makes everything written to the file system that holds dir durable, data and
// names, with one call (syncfs(2)); ok is false where there is no such call.
func syncFS(dir string) (ok bool, err error) {
	d, err := os.Open(dir)
	if err != nil {
		return true, err
	}
	defer d.Close()
	return true, unix.Syncfs(int(d.Fd()))
}
