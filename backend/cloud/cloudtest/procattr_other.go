//go:build !linux

package cloudtest

import "syscall"

func procAttr() *syscall.SysProcAttr { return nil }
