//go:build !amd64 && !arm64

package minilm

// kernels lists the kernels this CPU runs: only the portable one off amd64 and arm64.
func kernels() []kernel { return []kernel{goKernel} }

func pickKernel() kernel { return goKernel }
