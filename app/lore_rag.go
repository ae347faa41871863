package app

import (
	"errors"
	"math"

	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/lore"
	"github.com/npcstudio/npcstudio/backend/store"
)

// settingLoreRAG keeps LoreRAG.
const settingLoreRAG = "lore.rag"

// LoreRAG is how RAG prompts (chat, batch scenes, test runs) draw on the lore library.
type LoreRAG struct {
	V int `json:"v"`
	// MinRelevance is the relevance floor: a chunk whose cosine similarity to the player's
	// line is under it stays out of the prompt (0: every chunk found goes in, budget
	// allowing). It applies while the library has vectors; keyword-only search has no score
	// that compares across lines.
	MinRelevance float64 `json:"minRelevance"`
}

func defaultLoreRAG() LoreRAG { return LoreRAG{V: 1, MinRelevance: lore.DefaultMinRelevance} }

// loreRAG reads the workspace's RAG settings, or the defaults when none were saved.
func loreRAG(st *store.Store) (LoreRAG, error) {
	cfg, err := readSetting[LoreRAG](st, settingLoreRAG)
	if errors.Is(err, store.ErrNotFound) {
		return defaultLoreRAG(), nil
	}
	return cfg, err
}

// RAGSettings returns how RAG prompts draw on the lore library.
func (s *LoreService) RAGSettings() (out LoreRAG, err error) {
	defer guard(s.a.log, &err)
	st, err := s.a.store()
	if err != nil {
		return out, err
	}
	return loreRAG(st)
}

// SaveRAGSettings keeps the RAG settings with the workspace; the next turn uses them.
func (s *LoreService) SaveRAGSettings(in LoreRAG) (out LoreRAG, err error) {
	defer guard(s.a.log, &err)
	if math.IsNaN(in.MinRelevance) || in.MinRelevance < 0 || in.MinRelevance >= 1 {
		return out, fault.Invalid("minRelevance", "the relevance floor is from 0 (keep every chunk found) to under 1, not %g", in.MinRelevance)
	}
	st, err := s.a.store()
	if err != nil {
		return out, err
	}
	in.V = 1
	if err := writeSetting(st, settingLoreRAG, in); err != nil {
		return out, err
	}
	s.a.log.Info("lore RAG settings saved", "minRelevance", in.MinRelevance)
	return in, nil
}
