// Files the writer picks: the native dialog in the window, an upload in the browser page
// (npcstudio serve), and files dropped on a field in either.
import * as Files from './wailsjs/go/app/FilesService'
import type { app } from './wailsjs/go/models'
import { toAppError } from './errors'

export type PickMode = 'open' | 'openMany' | 'folder' | 'save'
export interface FileFilter {
  name: string
  pattern: string
}

declare global {
  interface Window {
    __bridgeReady?: Promise<boolean>
    __bridgeUpload?: (f: File) => Promise<string>
    runtime?: { OnFileDrop?: (cb: (x: number, y: number, paths: string[]) => void, useDropTarget: boolean) => void }
  }
}

// inBrowserPage is true in the page npcstudio serve answers, where there is no file dialog.
export function inBrowserPage(): boolean {
  return typeof window !== 'undefined' && '__bridgeUpload' in window
}

// pick opens the native dialog; it resolves to [] when the writer cancels.
export async function pick(mode: PickMode, opts: { title?: string; filters?: FileFilter[]; current?: string; suggestedName?: string } = {}): Promise<string[]> {
  try {
    const r = await Files.Pick({ mode, ...opts } as app.PickRequest)
    return r.paths ?? []
  } catch (e) {
    throw toAppError(e)
  }
}

// upload sends a file the browser page holds to the studio and returns where it was kept.
export async function upload(f: File): Promise<string> {
  const up = window.__bridgeUpload
  if (!up) throw { code: 'usage', message: 'Dropped files are read by their path in the window.' }
  try {
    return await up(f)
  } catch (e) {
    throw toAppError(e)
  }
}

// Drops in the window arrive once, for the whole window, with the point and the files'
// paths; each field that accepts drops registers here and gets the drops that land on it.
const dropTargets = new Map<Element, (paths: string[]) => void>()
let listening = false

export function onFileDrop(el: Element, handler: (paths: string[]) => void): () => void {
  dropTargets.set(el, handler)
  if (!listening && !inBrowserPage() && window.runtime?.OnFileDrop) {
    listening = true
    window.runtime.OnFileDrop((x, y, paths) => {
      const hit = document.elementFromPoint(x, y)
      for (const [target, h] of dropTargets) {
        if (hit && target.contains(hit)) {
          h(paths)
          return
        }
      }
    }, true)
  }
  return () => {
    dropTargets.delete(el)
  }
}
