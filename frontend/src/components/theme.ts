// Themes are applied by the script in index.html (before the first paint); this is the
// window's way to change the theme at once.
export type ThemePref = 'system' | 'light' | 'dark'

declare global {
  interface Window {
    __applyTheme?: (pref: ThemePref) => void
  }
}

export function applyTheme(pref: string): void {
  const p: ThemePref = pref === 'light' || pref === 'dark' ? pref : 'system'
  window.__applyTheme?.(p)
}

// shownTheme is the palette on screen now.
export function shownTheme(): 'light' | 'dark' {
  return document.documentElement.getAttribute('data-theme') === 'light' ? 'light' : 'dark'
}
