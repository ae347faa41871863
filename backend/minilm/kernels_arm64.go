package minilm

// neonKernel is the arm64 kernel (NEON is part of every arm64 CPU).
var neonKernel = kernel{name: "neon", mr: 8, nr: 12, fn: kern8x12neon, rows: neonKernels[:7]}

// kernels lists the kernels this CPU runs, fastest first.
func kernels() []kernel { return []kernel{neonKernel, goKernel} }

func pickKernel() kernel { return neonKernel }
