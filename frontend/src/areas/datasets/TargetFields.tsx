import type { BaseModel } from '../../bridge'
import { formatLabel, formatLabels } from './targets'

interface TargetFieldsProps {
  models: BaseModel[]
  baseModel: string
  format: string
  onChange: (t: { baseModel: string; format: string }) => void
  invalid?: string
  // allowAny offers no base model (format checks only); a dataset with a model keeps one.
  allowAny?: boolean
}

// TargetFields choose the base model a dataset is for and its record format: a model reads
// only some formats, so choosing it narrows them.
export function TargetFields({ models, baseModel, format, onChange, invalid, allowAny = true }: TargetFieldsProps) {
  const model = models.find((m) => m.id === baseModel)
  const formats = model ? model.formats : Object.keys(formatLabels)
  return (
    <>
      <label>
        Base model
        <select
          aria-invalid={invalid === 'baseModel' ? true : undefined}
          value={baseModel}
          onChange={(e) => {
            const m = models.find((x) => x.id === e.target.value)
            onChange({ baseModel: e.target.value, format: m && !m.formats.includes(format) ? '' : format })
          }}
        >
          {allowAny && <option value="">Any model (format checks only)</option>}
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Record format
        <select aria-invalid={invalid === 'format' ? true : undefined} value={format} onChange={(e) => onChange({ baseModel, format: e.target.value })}>
          <option value="">{model ? `${formatLabel(model.formats[0] ?? '')} (what ${model.name} reads)` : 'Claude messages (the default)'}</option>
          {formats.map((f) => (
            <option key={f} value={f}>
              {formatLabel(f)}
            </option>
          ))}
        </select>
      </label>
    </>
  )
}
