// Words for the base models and record formats a dataset targets.
import type { BaseModel } from '../../bridge'
import { formatBytes, formatCount } from '../../format'

export const formatLabels: Record<string, string> = {
  'prompt-completion': 'Prompt / completion',
  'claude-messages': 'Claude messages',
  'bedrock-conversation': 'Bedrock conversation',
  'input-output': 'Input / output',
}

export function formatLabel(f: string): string {
  return formatLabels[f] ?? f
}

export function modelName(models: BaseModel[], id: string): string {
  if (!id) return 'Any model (format checks only)'
  return models.find((m) => m.id === id)?.name ?? id
}

// limitsSummary says in one sentence what Bedrock enforces for a base model.
export function limitsSummary(m: BaseModel): string {
  const l = m.limits
  const parts: string[] = []
  if (l.minTrainingRecords && l.maxTrainingRecords) parts.push(`${formatCount(l.minTrainingRecords)} to ${formatCount(l.maxTrainingRecords)} training records`)
  else if (l.maxTrainingRecords) parts.push(`up to ${formatCount(l.maxTrainingRecords)} training records`)
  if (l.minTotalRecords || l.maxTotalRecords) {
    const range = l.minTotalRecords ? `${formatCount(l.minTotalRecords)} to ${formatCount(l.maxTotalRecords)}` : `up to ${formatCount(l.maxTotalRecords)}`
    parts.push(`${range} records in all`)
  }
  if (l.maxValidationRecords) parts.push(`up to ${formatCount(l.maxValidationRecords)} validation records`)
  if (l.maxRecordTokens) parts.push(`${formatCount(l.maxRecordTokens)} tokens a record`)
  const first = l.batchTokens?.[0]
  if (first) parts.push(`${formatCount(first.tokens)} tokens a record at batch size ${first.maxBatch === 1 ? '1' : `1–${first.maxBatch}`}`)
  if (l.maxInputTokens && l.maxInputTokens !== l.maxRecordTokens) parts.push(`input up to ${formatCount(l.maxInputTokens)} tokens`)
  if (l.maxOutputTokens && l.maxOutputTokens !== l.maxRecordTokens) parts.push(`output up to ${formatCount(l.maxOutputTokens)} tokens`)
  if (l.maxTrainingBytes) parts.push(`training file up to ${formatBytes(l.maxTrainingBytes)}`)
  if (l.reservedWords?.length) parts.push(`no ${l.reservedWords.map((w) => `“${w}”`).join(', ')} in any text`)
  return parts.length ? `${m.name} takes ${parts.join('; ')}.` : `${m.name}: no limits known beyond the format.`
}
