import { useEffect, useState } from 'react'
import { describe, settings, type app, type AppError } from '../../bridge'

export function WriterPanel() {
  const [s, setS] = useState<app.Settings | null>(null)
  const [msg, setMsg] = useState('')
  const [error, setError] = useState<AppError | null>(null)
  useEffect(() => {
    settings.get().then(setS).catch(setError)
  }, [])
  if (!s) return error ? <p className="error">{describe(error)}</p> : null
  const save = () => {
    settings
      .save(s)
      .then((saved) => {
        setS(saved)
        setMsg('Saved.')
        setError(null)
      })
      .catch((e: AppError) => setError(e))
  }
  return (
    <div className="panel form">
      <label>
        Your name <span className="muted">(signs every version you save)</span>
        <input value={s.author} onChange={(e) => setS({ ...s, author: e.target.value })} placeholder="e.g. Ada Writer" />
      </label>
      <label>
        Theme
        <select value={s.theme} onChange={(e) => setS({ ...s, theme: e.target.value })}>
          <option value="system">System</option>
          <option value="dark">Dark</option>
          <option value="light">Light</option>
        </select>
      </label>
      <div className="row">
        <button className="primary" onClick={save}>
          Save
        </button>
        {msg && <span className="muted">{msg}</span>}
      </div>
      {error && <p className="error">{describe(error)}</p>}
    </div>
  )
}
