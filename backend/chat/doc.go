// Package chat owns the writer's conversations with an NPC: chats kept as trees of messages
// (swipes and branches), the Runner that sends a player's line to a model in base,
// fine-tuned or RAG mode and records how the reply came back, and compare runs (one line
// sent to two to four configurations side by side) with the writer's verdicts.
//
// # Storage
//
// Buckets (values are JSON with "v": 1; seq is a number written as eight digits so that
// keys sort in the order messages were made):
//
//	chats          <chatID>              -> Chat: persona, title, the last configuration,
//	                                        the active child of each message, the next seq
//	chat_messages  <chatID>/m<seq>       -> Message: id, parent id, role, text, created; a
//	                                        reply also carries provider, model, mode,
//	                                        template and persona versions, latency, tokens,
//	                                        cost estimate, cut or stopped, citations
//	chat_prompts   <chatID>/m<seq>       -> Prompt: the rendered request a reply answered
//	                                        (family, system, messages, body), kept apart so
//	                                        that reading a chat stays small; "save as
//	                                        training data" reads it
//	compare_runs   <runID>               -> Run: persona, player line, columns (config,
//	                                        chat id, answer message id or error), verdict
//	                                        (winner column, note, author, time)
//
// # Trees, swipes and branches
//
// A message's parent is the message it answers or follows ("" for the first one). Siblings
// are the alternatives at one point of the conversation: regenerating a reply adds a sibling
// reply (a swipe), editing any message adds a sibling with the edited text (a branch). The
// chat remembers which child of each message is active (Chat.Active, keyed by parent id,
// "" for the first message); the active path, followed from the first message, is the
// conversation the model sees next. Nothing is ever overwritten: earlier answers stay as
// swipes and the path before an edit stays as a branch.
//
// # Compare
//
// Each column of a compare run is a chat of its own (Chat.CompareRunID names the run), so a
// column's answer is an ordinary reply: it records the same facts, can be regenerated,
// continued and saved as training data. Chat lists leave these chats out unless asked.
//
// # Lore
//
// RAG mode asks a Retriever for passages from the persona's lore collections and puts them in
// the prompt with citation ids. The lore library plugs in through the Runner's Retriever;
// with none, RAG mode says so (NoLoreNote) and calls the model without lore.
package chat
