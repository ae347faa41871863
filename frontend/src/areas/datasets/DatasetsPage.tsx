import { Problem } from '../../components/Problem'
import { useCallback, useEffect, useState } from 'react'
import { datasets, type AppError, type BaseModel, type DatasetData } from '../../bridge'
import { DatasetList } from './DatasetList'
import { DatasetWorkbench } from './DatasetWorkbench'

// DatasetsPage is the Datasets area: the list of datasets, or one open dataset.
export function DatasetsPage() {
  const [list, setList] = useState<DatasetData[] | null>(null)
  const [models, setModels] = useState<BaseModel[]>([])
  const [open, setOpen] = useState<DatasetData | null>(null)
  const [error, setError] = useState<AppError | null>(null)

  const load = useCallback(() => {
    datasets
      .list()
      .then(setList)
      .catch((e: AppError) => setError(e))
  }, [])
  useEffect(() => {
    load()
    datasets
      .targets()
      .then((t) => setModels(t.baseModels))
      .catch((e: AppError) => setError(e))
  }, [load])

  if (error) return <Problem error={error} className="page" />
  if (open) {
    return (
      <DatasetWorkbench
        key={open.id}
        initial={open}
        models={models}
        onBack={() => {
          setOpen(null)
          load()
        }}
        onDeleted={() => {
          setOpen(null)
          load()
        }}
      />
    )
  }
  if (!list) return <p className="muted page">Loading datasets…</p>
  return (
    <DatasetList
      list={list}
      models={models}
      onOpen={(id) =>
        datasets
          .get(id)
          .then(setOpen)
          .catch((e: AppError) => setError(e))
      }
      onCreated={setOpen}
    />
  )
}
