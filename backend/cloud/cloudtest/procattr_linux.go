package cloudtest

import "syscall"

// procAttr ends the MinIO with the process that started it, even when that one is killed.
func procAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} }
