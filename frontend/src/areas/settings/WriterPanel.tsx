import { Problem } from '../../components/Problem'
import { useEffect, useState } from 'react'
import { settings, type app, type AppError } from '../../bridge'
import { applyTheme } from '../../components/theme'

export function WriterPanel() {
  const [s, setS] = useState<app.Settings | null>(null)
  const [msg, setMsg] = useState('')
  const [error, setError] = useState<AppError | null>(null)
  useEffect(() => {
    settings.get().then(setS).catch(setError)
  }, [])
  if (!s) return <Problem error={error} />
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
        Theme <span className="muted">(applies at once)</span>
        <select
          value={s.theme}
          onChange={(e) => {
            // The theme applies and is kept at once; the name waits for Save.
            const theme = e.target.value
            applyTheme(theme)
            setS({ ...s, theme })
            settings
              .get()
              .then((saved) => settings.save({ ...saved, theme } as app.Settings))
              .then(() => setError(null))
              .catch((err: AppError) => setError(err))
          }}
        >
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
      <Problem error={error} />
    </div>
  )
}
