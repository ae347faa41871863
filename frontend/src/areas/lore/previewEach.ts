import { toAppError, type AppError, type ChunkPreview } from '../../bridge'

// FilePreview is how one of the files picked for import is cut, or why it could not be.
export interface FilePreview {
  path: string
  preview?: ChunkPreview
  error?: AppError
}

// previewEach cuts every path, one after the other (Go reads each file whole), and reports
// the list after each one so the first files show while the rest are cut. A file that
// cannot be cut says why and does not stop the others. stale, when it turns true, stops the
// run (the writer changed the files or the chunking meanwhile).
export async function previewEach(
  paths: string[],
  cut: (path: string) => Promise<ChunkPreview>,
  onEach: (list: FilePreview[]) => void,
  stale: () => boolean = () => false,
): Promise<FilePreview[]> {
  const out: FilePreview[] = []
  for (const path of paths) {
    if (stale()) break
    try {
      out.push({ path, preview: await cut(path) })
    } catch (e) {
      out.push({ path, error: toAppError(e) })
    }
    if (stale()) break
    onEach([...out])
  }
  return out
}

// fileName is the last part of a path, as a heading shows it.
export function fileName(path: string): string {
  const parts = path.replace(/[\\/]+$/, '').split(/[\\/]/)
  return parts[parts.length - 1] || path
}
