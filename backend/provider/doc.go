// Package provider is the registry of model providers a writer has set up: OpenAI-compatible
// servers (OpenAI, Ollama, LM Studio, vLLM, llama.cpp), Amazon Bedrock, and the team's
// deployed NPC text and RAG endpoints. It keeps their settings in the workspace and their
// keys in the OS keychain, and checks that each one answers.
//
// Buckets:
//
//	providers   <name> -> Provider (JSON, "v":1). A key, when there is one, is in the OS
//	            keychain under "provider/<name>", never here.
package provider
