import { expect, it } from 'vitest'
import type { BaseModel } from '../../bridge'
import { formatLabel, limitsSummary, modelName } from './targets'

const none = {
  minTrainingRecords: 0, maxTrainingRecords: 0, maxValidationRecords: 0, minTotalRecords: 0, maxTotalRecords: 0,
  maxRecordTokens: 0, maxInputTokens: 0, maxOutputTokens: 0, batchTokens: [], maxTrainingBytes: 0, maxValidationBytes: 0, reservedWords: [],
}
const haiku: BaseModel = {
  id: 'anthropic.claude-3-haiku-20240307-v1:0', name: 'Claude 3 Haiku', formats: ['claude-messages'],
  limits: { ...none, minTrainingRecords: 32, maxTrainingRecords: 10000, maxValidationRecords: 1000, maxRecordTokens: 32000, maxTrainingBytes: 10 * 2 ** 30 },
}
const titan: BaseModel = {
  id: 'amazon.titan-text-express-v1', name: 'Titan Text Express', formats: ['prompt-completion', 'input-output'],
  limits: { ...none, batchTokens: [{ maxBatch: 1, tokens: 4096 }, { maxBatch: 4, tokens: 2048 }] },
}

it('says what a base model takes', () => {
  expect(limitsSummary(haiku)).toBe(
    'Claude 3 Haiku takes 32 to 10,000 training records; up to 1,000 validation records; 32,000 tokens a record; training file up to 10 GB.',
  )
  expect(limitsSummary(titan)).toBe('Titan Text Express takes 4,096 tokens a record at batch size 1.')
  expect(limitsSummary({ ...titan, limits: none })).toBe('Titan Text Express: no limits known beyond the format.')
})

it('names models and formats', () => {
  expect(modelName([haiku], haiku.id)).toBe('Claude 3 Haiku')
  expect(modelName([haiku], '')).toBe('Any model (format checks only)')
  expect(formatLabel('claude-messages')).toBe('Claude messages')
  expect(formatLabel('other')).toBe('other')
})
