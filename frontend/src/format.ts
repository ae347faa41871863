// How numbers read to a writer, in every area.

// formatCount writes a number as writers read it (10,000).
export function formatCount(n: number): string {
  return n.toLocaleString('en-US')
}

// plural says "1 record" or "10,000 records".
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
}

// formatBytes says a size in bytes, KB, MB or GB.
export function formatBytes(n: number): string {
  const one = (x: number) => x.toFixed(1).replace(/\.0$/, '')
  if (n >= 2 ** 30) return `${one(n / 2 ** 30)} GB`
  if (n >= 2 ** 20) return `${one(n / 2 ** 20)} MB`
  if (n >= 2 ** 10) return `${one(n / 2 ** 10)} KB`
  return `${n} bytes`
}
