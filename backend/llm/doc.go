// Package llm talks to the models a writer chats with, behind one Provider interface:
// Amazon Bedrock (Converse and ConverseStream), any OpenAI-compatible server (OpenAI,
// Ollama, LM Studio, vLLM, llama.cpp server) and the team's deployed text and RAG
// endpoints (see CLOUD.md).
//
// It owns what every provider shares: the request and result shapes, one retry policy
// (backoff, Retry-After, never retrying once tokens reached the caller), timeouts, and
// typed errors that say what to do next. The fakes the tests run against live beside it:
// openaifake, bedrockfake and npcapifake, each speaking its peer's real wire format.
package llm
