//go:build !amd64

package minilm

// kernels lists the kernels this CPU runs: only the portable one off amd64.
func kernels() []kernel { return []kernel{goKernel} }

func pickKernel() kernel { return goKernel }
