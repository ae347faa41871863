import { Problem } from '../../components/Problem'
import { useState } from 'react'
import { datasets, type AppError, type BaseModel, type DatasetData } from '../../bridge'
import { formatCount } from '../../format'
import { formatLabel, modelName } from './targets'
import { TargetFields } from './TargetFields'

interface DatasetListProps {
  list: DatasetData[]
  models: BaseModel[]
  onOpen: (id: string) => void
  onCreated: (d: DatasetData) => void
}

// DatasetList shows the workspace's tuning datasets and makes new ones.
export function DatasetList({ list, models, onOpen, onCreated }: DatasetListProps) {
  const [adding, setAdding] = useState(false)
  return (
    <section className="page datasets-list">
      <header className="page-head">
        <div>
          <h1>Datasets</h1>
          <p className="muted">Tuning data for your NPCs: curate records, check them against the base model's limits, export them for a tuning job.</p>
        </div>
        {!adding && (
          <button className="primary" onClick={() => setAdding(true)}>
            New dataset
          </button>
        )}
      </header>
      {adding && (
        <NewDatasetForm
          models={models}
          onCancel={() => setAdding(false)}
          onCreated={(d) => {
            setAdding(false)
            onCreated(d)
          }}
        />
      )}
      {list.length === 0 && !adding && <p className="empty">No datasets yet. Make one, then import a JSON Lines or CSV file into it.</p>}
      {list.length > 0 && (
        <table className="table" aria-label="Datasets">
          <thead>
            <tr>
              <th>Name</th>
              <th>Base model</th>
              <th>Format</th>
              <th className="num">Records</th>
              <th className="num">Version</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {list.map((d) => (
              <tr key={d.id}>
                <td>
                  <button className="link-button" onClick={() => onOpen(d.id)}>
                    {d.name}
                  </button>
                </td>
                <td>{modelName(models, d.baseModel)}</td>
                <td>{formatLabel(d.format)}</td>
                <td className="num">{formatCount(d.records)}</td>
                <td className="num">{d.head}</td>
                <td className="muted">{new Date(d.updatedAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function NewDatasetForm({ models, onCancel, onCreated }: { models: BaseModel[]; onCancel: () => void; onCreated: (d: DatasetData) => void }) {
  const [name, setName] = useState('')
  const [target, setTarget] = useState({ baseModel: '', format: '' })
  const [error, setError] = useState<AppError | null>(null)
  return (
    <form
      className="card form"
      aria-label="New dataset"
      onSubmit={(e) => {
        e.preventDefault()
        setError(null)
        datasets
          .create(name, target.baseModel, target.format)
          .then(onCreated)
          .catch((err: AppError) => setError(err))
      }}
    >
      <label>
        Name
        <input autoFocus value={name} aria-invalid={error?.field === 'name' || error?.code === 'exists' ? true : undefined} onChange={(e) => setName(e.target.value)} placeholder="Ada — innkeeper lines" />
      </label>
      <TargetFields models={models} baseModel={target.baseModel} format={target.format} onChange={setTarget} invalid={error?.field} />
      <Problem error={error} />
      <div className="row">
        <button className="primary" type="submit" disabled={!name.trim()}>
          Create dataset
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}
