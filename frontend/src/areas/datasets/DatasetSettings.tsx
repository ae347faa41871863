import { Problem } from '../../components/Problem'
import { useState } from 'react'
import { datasets, type AppError, type BaseModel, type DatasetData, invalidField } from '../../bridge'
import { TargetFields } from './TargetFields'

interface DatasetSettingsProps {
  dataset: DatasetData
  models: BaseModel[]
  onSaved: (d: DatasetData) => void
  onDeleted: () => void
}

// DatasetSettings renames a dataset, changes the model it is for, or deletes it. Records are
// not rewritten when the target changes: they are converted when exported.
export function DatasetSettings({ dataset: ds, models, onSaved, onDeleted }: DatasetSettingsProps) {
  const [name, setName] = useState(ds.name)
  const [target, setTarget] = useState({ baseModel: ds.baseModel, format: ds.format })
  const [confirm, setConfirm] = useState(false)
  const [msg, setMsg] = useState('')
  const [error, setError] = useState<AppError | null>(null)

  const save = () => {
    setError(null)
    setMsg('')
    datasets
      .update(ds.id, { name, baseModel: target.baseModel, format: target.format })
      .then((d) => {
        setMsg('Saved.')
        onSaved(d)
      })
      .catch((e: AppError) => setError(e))
  }
  return (
    <div className="side-section form" aria-label="Dataset settings">
      <label>
        Name
        <input value={name} aria-invalid={invalidField(error, 'name')} onChange={(e) => setName(e.target.value)} />
      </label>
      <TargetFields models={models} baseModel={target.baseModel} format={target.format} onChange={setTarget} invalid={error?.field} allowAny={ds.baseModel === ''} />
      <div className="row">
        <button className="primary" onClick={save}>
          Save
        </button>
      </div>
      {msg && <p className="success">{msg}</p>}
      <Problem error={error} />
      <h3>Delete</h3>
      {!confirm ? (
        <button className="danger" onClick={() => setConfirm(true)}>
          Delete dataset
        </button>
      ) : (
        <div className="row">
          <span>Delete {ds.name} and all its versions?</span>
          <button
            className="danger"
            onClick={() =>
              datasets
                .remove(ds.id)
                .then(onDeleted)
                .catch((e: AppError) => setError(e))
            }
          >
            Delete
          </button>
          <button onClick={() => setConfirm(false)}>Keep</button>
        </div>
      )}
    </div>
  )
}
