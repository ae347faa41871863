package minilm

import "golang.org/x/sys/cpu"

var (
	avx512Kernel = kernel{name: "avx512", mr: 14, nr: 32, fn: kern14x32avx512, rows: avx512Kernels[:13], widen: widenAVX512}
	avx2Kernel   = kernel{name: "avx2", mr: 6, nr: 16, fn: kern6x16avx2, rows: avx2Kernels[:5], widen: f16cWiden()}
)

// f16cWiden is widenF16C where the CPU has F16C, else nil (weights stay float32).
func f16cWiden() func([]float32, []uint16) {
	if hasF16C {
		return widenF16C
	}
	return nil
}

// kernels lists the kernels this CPU runs, fastest first.
func kernels() []kernel {
	var ks []kernel
	if cpu.X86.HasAVX512F {
		ks = append(ks, avx512Kernel)
	}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		ks = append(ks, avx2Kernel)
	}
	return append(ks, goKernel)
}

func pickKernel() kernel { return kernels()[0] }
