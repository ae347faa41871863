// Package persona owns NPC personas and the prompt templates that turn them into model
// requests: the persona model, versions and word-level diffs, rendering into the request
// body of each model family, Character Card V1/V2/V3 import and V2/V3 export (JSON and
// PNG), and their storage in the workspace.
//
// # Storage
//
// Buckets (values are JSON with "v": 1 unless noted; n is a version number written as eight
// digits, so that keys sort in version order):
//
//	personas           <personaID>            -> head: summary of the current version
//	                                             (id, name, nickname, role, tags, templateId,
//	                                             avatarId, version, createdAt, updatedAt, updatedBy)
//	persona_versions   <personaID>/<n>        -> PersonaVersion: n, author, savedAt, note, persona
//	persona_avatars    <personaID>/<sha256>   -> raw PNG bytes (not JSON), one per distinct image
//	templates          <templateID>           -> head: summary of a shared template's current version
//	template_versions  <templateID>/<n>       -> TemplateVersion: n, author, savedAt, note, template
//
// Ids are a slug of the name and four random characters ("mira-saltwhistle-k3x9"); they never
// change. Every save appends a version and moves the head; a save equal to the current version
// changes nothing. Restore appends a copy of an old version. A persona's own template
// (Persona.Template) is part of the persona and so is versioned with it; shared templates
// have their own versions. The starting templates (default, ada-text, ada-rag) are built in
// and never stored.
//
// # Templates
//
// Templates are Go text/template with missingkey=error. A template has two parts: System
// (the system prompt) and Turn (the player's last message as sent; empty means
// "{{.Message}}"). Dot is a Data:
//
//	.Char .User                  the persona's name (nickname when set) and the player's name
//	.Persona                     a View: .Name .Nickname .Role .Description .Personality
//	                             .SpeechStyle .Scenario .FirstGreeting .AlternateGreetings
//	                             .ExampleDialogue (each exchange under its separator, no <START>)
//	                             .Examples (the exchanges alone) .Goals .Relationships (each .Name .Kind .Notes)
//	                             .KnowledgeBoundaries .LoreCollections .SafetyNotes .Tags
//	                             .SystemPrompt .PostHistoryInstructions
//	.Message                     the player's new message
//	.History                     earlier turns, each .Role ("user"/"assistant") and .Text
//	.Lore                        RAG passages, each .Text .Source .Citation (empty in base mode)
//	.Mode .RAG .Family           "base"/"rag", true in RAG mode, the model family id
//
// A card's system_prompt replaces the rendered System, as the Character Card spec says, and
// {{original}} in it stands for the rendered System; a template that uses .Persona.SystemPrompt
// places it itself instead. post_history_instructions follow the player's message in the
// default Turn; templates carry no post-history text of their own, so {{original}} in them
// stands for nothing.
//
// Functions (see TemplateFuncs): char, user, join, bullets, trim, upper, lower, default,
// truncateTokens, tokens, printf, and text/template's built-ins (and, or, not, eq, ne, lt,
// le, gt, ge, len, index, slice, print, println, html, js, urlquery, call).
//
// {{char}} and {{user}} work in templates as in Character Cards. In persona text, messages
// and lore they (and the older <BOT> and <USER>) are replaced as plain text: what writers and
// players type is data and is never parsed as a template. Templates are bounded: each part is
// at most MaxTemplateSize, {{define}}, {{block}} and {{template}} are refused (no recursion),
// every range iteration counts against MaxLoops, each part's output is capped at
// MaxOutputSize, and rendering stops after RenderTimeout or when the context ends.
//
// # Families
//
// Render produces the exact JSON body of bedrock-converse (Converse: system, messages,
// inferenceConfig), claude-messages (InvokeModel with anthropic_version bedrock-2023-05-31),
// titan-text (inputText in Titan's "User:/Bot:" form, textGenerationConfig), llama3
// (prompt with the Llama 3 chat template, max_gen_len) and openai-chat (model, messages,
// max_tokens, stream). Bodies are indented with two spaces, keys in a fixed order, without
// HTML escaping, so equal inputs give equal bytes. Token estimates (prose.EstimateTokens)
// count about four characters a token.
//
// # Character cards
//
// ImportCard reads V1, V2 and V3 cards as JSON or PNG (tEXt chunk chara or ccv3; ccv3 wins).
// The character_book becomes Persona.Lorebook with every entry field. Keys NPC Studio has no
// field for, at every level, are kept as they were (Extra maps, Persona.Extensions,
// Persona.Card) and written back by ExportCard, so an unchanged card exports to the same
// JSON. Persona fields cards lack (role, speech style, goals, relationships, knowledge,
// safety notes, template) travel in data.extensions.npcstudio.
package persona
