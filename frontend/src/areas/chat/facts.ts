import type { ChatMessage } from '../../bridge'

// replyFacts says what made a reply and how it came, in the order a writer scans them:
// provider, model, mode, template, latency to first token, tokens, cost.
export function replyFacts(m: ChatMessage): string[] {
  const out: string[] = []
  if (m.provider) out.push(m.provider)
  if (m.model) out.push(m.model)
  if (m.mode) out.push(modeLabel(m.mode))
  if (m.templateId) out.push(`template ${m.templateId} v${m.templateVersion ?? 0}`)
  if (m.firstTokenMs) out.push(`${m.firstTokenMs} ms to first token`)
  if (m.usage) {
    const approx = m.usage.estimated ? '≈' : ''
    out.push(`${approx}${m.usage.inputTokens} → ${approx}${m.usage.outputTokens} tokens`)
  }
  if (m.costUsd !== undefined && m.costUsd !== null) out.push(`≈ $${formatUsd(m.costUsd)}`)
  return out
}

export function modeLabel(mode: string): string {
  return mode === 'finetuned' ? 'fine-tuned' : mode === 'rag' ? 'RAG' : mode
}

// formatUsd keeps two significant digits of small amounts: $0.00012, $0.031, $1.20.
export function formatUsd(v: number): string {
  if (v >= 1) return v.toFixed(2)
  if (v === 0) return '0'
  return v.toPrecision(2).replace(/0+$/, '').replace(/\.$/, '')
}

export function configLabel(c: { provider: string; model?: string; mode: string }): string {
  return [c.provider, c.model, modeLabel(c.mode)].filter(Boolean).join(' · ')
}

// lastLineText is a chat's last line as its row in the list shows it: the player's marked
// "You:", the NPC's bare (the row already names the persona), without the markdown marks
// (*actions*, **bold**, `code`) that would crowd a short line.
export function lastLineText(role: string | undefined, line: string): string {
  const plain = line.replace(/(\*{1,3}|_{2,3}|`)(\S[\s\S]*?\S|\S)\1/g, '$2').replace(/^#{1,6}\s+/, '')
  return role === 'user' ? `You: ${plain}` : plain
}
