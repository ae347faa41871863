// How numbers read to a writer, in every area.

// formatCount writes a number as writers read it (10,000).
export function formatCount(n: number): string {
  return n.toLocaleString('en-US')
}

// plural says "1 record" or "10,000 records".
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
}

// formatWhen says when something happened as a list row shows it: the time today, the day
// and month this year, the full date before.
export function formatWhen(iso: string, now = new Date()): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  if (d.toDateString() === now.toDateString()) return d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })
  if (d.getFullYear() === now.getFullYear()) return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' })
}

// modeName is a chat mode in the writer's words.
export function modeName(mode: string): string {
  return ({ base: 'base model', finetuned: 'fine-tuned', rag: 'with lore', deployed: 'deployed' } as Record<string, string>)[mode] ?? mode
}

// formatBytes says a size in bytes, KB, MB or GB.
export function formatBytes(n: number): string {
  const one = (x: number) => x.toFixed(1).replace(/\.0$/, '')
  if (n >= 2 ** 30) return `${one(n / 2 ** 30)} GB`
  if (n >= 2 ** 20) return `${one(n / 2 ** 20)} MB`
  if (n >= 2 ** 10) return `${one(n / 2 ** 10)} KB`
  return `${n} bytes`
}
