package app

import (
	"github.com/npcstudio/npcstudio/backend/provider"
)

// ProviderService manages the model providers of the workspace.
type ProviderService struct{ a *App }

// AddProviderRequest is a provider to add and, optionally, its key. The key goes to the OS
// keychain and is never stored in the workspace or returned.
type AddProviderRequest struct {
	Provider provider.Provider `json:"provider"`
	APIKey   string            `json:"apiKey"`
}

// ProviderNameRequest names one provider.
type ProviderNameRequest struct {
	Name string `json:"name"`
}

// List returns every provider.
func (s *ProviderService) List() (out []provider.Provider, err error) {
	defer guard(s.a.log, &err)
	r, err := s.a.registry()
	if err != nil {
		return nil, err
	}
	return r.List()
}

// Kinds returns the provider kinds, in the order the window offers them.
func (s *ProviderService) Kinds() []string { return provider.Kinds }

// Add stores a new provider.
func (s *ProviderService) Add(req AddProviderRequest) (out provider.Provider, err error) {
	defer guard(s.a.log, &err)
	r, err := s.a.registry()
	if err != nil {
		return out, err
	}
	out, err = r.Add(req.Provider, req.APIKey)
	if err == nil {
		s.a.log.Info("provider added", "name", out.Name, "kind", out.Kind)
	}
	return out, err
}

// Test checks that the provider answers, without sending a prompt.
func (s *ProviderService) Test(req ProviderNameRequest) (out provider.TestResult, err error) {
	defer guard(s.a.log, &err)
	r, err := s.a.registry()
	if err != nil {
		return out, err
	}
	p, err := r.Get(req.Name)
	if err != nil {
		return out, err
	}
	return r.Test(s.a.ctx(), p), nil
}

// Remove deletes the provider and its key.
func (s *ProviderService) Remove(req ProviderNameRequest) (err error) {
	defer guard(s.a.log, &err)
	r, err := s.a.registry()
	if err != nil {
		return err
	}
	if err = r.Remove(req.Name); err == nil {
		s.a.log.Info("provider removed", "name", req.Name)
	}
	return err
}
