import type { FileFilter, PickMode } from '../bridge/files'

// acceptOf turns dialog filters ("*.png;*.json") into a file input's accept list (".png,.json").
export function acceptOf(filters: FileFilter[] | undefined): string | undefined {
  const exts = (filters ?? [])
    .flatMap((f) => f.pattern.split(';'))
    .map((p) => p.trim())
    .filter((p) => /^\*\.[^*]+$/.test(p))
    .map((p) => p.slice(1).toLowerCase())
  return exts.length ? [...new Set(exts)].join(',') : undefined
}

// withPaths is the field's value once paths were picked or dropped: a many-file field keeps
// what it had and adds the new ones a line each; any other field takes the first.
export function withPaths(value: string, paths: string[], mode: PickMode): string {
  if (paths.length === 0) return value
  if (mode !== 'openMany') return paths[0] ?? value
  const have = value
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
  for (const p of paths) if (!have.includes(p)) have.push(p)
  return have.join('\n')
}

// acceptsDrop says whether a field can take a dropped file: a file to save or a folder
// cannot come from a drop in the browser page (it has only the file's bytes).
export function acceptsDrop(mode: PickMode, browserPage: boolean): boolean {
  return !browserPage || mode === 'open' || mode === 'openMany'
}

// matchesFilters keeps dropped files of the kinds the field takes (all when it has no filter).
export function matchesFilters(name: string, filters: FileFilter[] | undefined): boolean {
  const accept = acceptOf(filters)
  if (!accept) return true
  const lower = name.toLowerCase()
  return accept.split(',').some((ext) => lower.endsWith(ext))
}
