import type { ChatConfig, ChatSetup, provider } from '../../bridge'

// providerModel is the model a provider answers with when none is picked.
export function providerModel(p: provider.Provider | undefined): string {
  if (!p) return ''
  if (p.kind === 'bedrock') return p.modelId ?? ''
  if (p.kind === 'npcapi') return 'text or rag endpoint'
  return p.model ?? ''
}

// configNote says what the writer should know about a configuration before sending: the
// deployed API's fixed persona, RAG without a lore library.
export function configNote(config: ChatConfig, providers: provider.Provider[], setup: ChatSetup | null): string {
  const p = providers.find((x) => x.name === config.provider)
  if (!setup) return ''
  if (p?.kind === 'npcapi') return `The deployed API: ${setup.npcapiNotice}.`
  if (config.mode === 'rag' && !setup.loreReady) return `RAG: ${setup.noLoreNote}.`
  if (config.mode === 'finetuned' && !config.model) return `Fine-tuned uses ${p?.name ?? 'the provider'}'s model (${providerModel(p)}); give the custom model's id or ARN to use another.`
  return ''
}

// ConfigPicker chooses what answers: provider, an optional model replacing the provider's,
// and the mode.
export function ConfigPicker(props: {
  label: string
  value: ChatConfig
  onChange: (c: ChatConfig) => void
  providers: provider.Provider[]
  setup: ChatSetup | null
  disabled?: boolean
}) {
  const { label, value, onChange, providers, setup, disabled } = props
  const p = providers.find((x) => x.name === value.provider)
  const note = configNote(value, providers, setup)
  return (
    <fieldset className="config-picker" aria-label={label} disabled={disabled}>
      <label>
        <span className="small muted">Provider</span>
        <select value={value.provider} onChange={(e) => onChange({ ...value, provider: e.target.value })} aria-label="Provider">
          {providers.length === 0 && <option value="">No provider yet</option>}
          {providers.map((x) => (
            <option key={x.name} value={x.name}>
              {x.name} ({x.kind})
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="small muted">Model</span>
        <input
          aria-label="Model"
          value={value.model ?? ''}
          placeholder={providerModel(p) || 'the provider’s'}
          onChange={(e) => onChange({ ...value, model: e.target.value.trim() })}
          spellCheck={false}
        />
      </label>
      <label>
        <span className="small muted">Mode</span>
        <select value={value.mode} onChange={(e) => onChange({ ...value, mode: e.target.value })} aria-label="Mode">
          {(setup?.modes ?? []).map((m) => (
            <option key={m.id} value={m.id} title={m.detail}>
              {m.label}
            </option>
          ))}
        </select>
      </label>
      {note && <p className="config-note small">{note}</p>}
    </fieldset>
  )
}
