import { useEffect, useState } from 'react'
import { chats, datasets, type AppError, type BaseModel, type ChatMessage, type DatasetData } from '../../bridge'
import { Problem } from '../../components/Problem'
import { Dialog } from '../../components/Dialog'

// SaveAsTrainingDialog adds a reply to a tuning dataset. The writer may correct the reply
// first: the correction is what the record trains on, with the full prompt the model got.
export function SaveAsTrainingDialog(props: { chatId: string; message: ChatMessage; onClose: () => void }) {
  const { chatId, message, onClose } = props
  const [list, setList] = useState<DatasetData[] | null>(null)
  const [models, setModels] = useState<BaseModel[]>([])
  const [datasetId, setDatasetId] = useState('')
  const [reply, setReply] = useState(message.text)
  const [tags, setTags] = useState('from-chat')
  const [newName, setNewName] = useState('')
  const [newModel, setNewModel] = useState('')
  const [error, setError] = useState<AppError | null>(null)
  const [saved, setSaved] = useState('')
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    datasets
      .list()
      .then((l) => {
        setList(l)
        setDatasetId((id) => id || l[0]?.id || '')
      })
      .catch(setError)
    datasets
      .targets()
      .then((t) => {
        setModels(t.baseModels)
        setNewModel((m) => m || t.baseModels[0]?.id || '')
      })
      .catch(() => undefined)
  }, [])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose()
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])

  const createDataset = () => {
    setError(null)
    datasets
      .create(newName.trim(), newModel, '')
      .then((d) => {
        setList((l) => [...(l ?? []), d])
        setDatasetId(d.id)
        setNewName('')
      })
      .catch(setError)
  }

  const save = () => {
    setBusy(true)
    setError(null)
    const corrected = reply.trim() === message.text.trim() ? '' : reply
    const tagList = tags
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean)
    chats
      .saveAsTrainingData(chatId, message.id, corrected, datasetId, tagList)
      .then((out) => {
        const name = list?.find((d) => d.id === datasetId)?.name ?? datasetId
        setSaved(`Added to ${name} as record ${out.added.record.id} (version ${out.added.version.number})${out.dropped ? `; left out ${out.dropped}` : ''}.`)
      })
      .catch(setError)
      .finally(() => setBusy(false))
  }

  return (
    <Dialog label="Save as training data" onClose={onClose}>
      <h2>Save as training data</h2>
      <p className="muted small">The record keeps the full prompt this reply answered (system prompt and turns) and trains on the reply below.</p>
      {list && list.length === 0 && (
        <div className="form">
          <p className="small">No dataset yet. Make one:</p>
          <div className="row">
            <input aria-label="New dataset name" placeholder="Dataset name" value={newName} onChange={(e) => setNewName(e.target.value)} />
            <select aria-label="Base model" value={newModel} onChange={(e) => setNewModel(e.target.value)}>
              {models.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
            <button disabled={!newName.trim() || !newModel} onClick={createDataset}>
              Create
            </button>
          </div>
        </div>
      )}
      <div className="form">
        <label>
          Dataset
          <select aria-label="Dataset" value={datasetId} onChange={(e) => setDatasetId(e.target.value)} disabled={!list?.length}>
            {(list ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({d.records} records)
              </option>
            ))}
          </select>
        </label>
        <label>
          Reply to train on (correct it if it is wrong)
          <textarea aria-label="Reply to train on" rows={8} value={reply} onChange={(e) => setReply(e.target.value)} aria-invalid={error?.field === 'reply'} />
        </label>
        <label>
          Tags (comma-separated)
          <input value={tags} onChange={(e) => setTags(e.target.value)} />
        </label>
      </div>
      <Problem error={error} />
      {saved && <p className="success">{saved}</p>}
      <div className="row dialog-actions">
        <button className="primary" disabled={busy || !datasetId || !reply.trim() || !!saved} onClick={save}>
          Save record
        </button>
        <button onClick={onClose}>{saved ? 'Close' : 'Cancel'}</button>
      </div>
    </Dialog>
  )
}
