import type { app } from '../../bridge'

// asText lays the rendered prompt out for reading: the single prompt of text families, else
// the system text and each turn.
export function asText(r: app.RenderedPrompt): { label: string; text: string }[] {
  if (r.prompt) return [{ label: 'Prompt', text: r.prompt }]
  const out = r.system ? [{ label: 'System', text: r.system }] : []
  for (const m of r.messages ?? []) out.push({ label: m.role === 'user' ? 'Player (user)' : 'NPC (assistant)', text: m.text })
  return out
}
