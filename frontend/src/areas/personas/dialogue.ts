// Example dialogue is one text of exchanges, each opened by a <START> line, as Character
// Cards write it. The editor shows it as a list of exchanges.

const start = /^\s*<START>\s*$/i

// splitDialogue cuts the text into exchanges; text before the first <START> is one too when
// it is not blank. Exchanges are not trimmed: the writer may be typing a new line.
export function splitDialogue(text: string): string[] {
  if (!text.trim()) return []
  const out: string[] = []
  let cur: string[] | null = null
  for (const line of text.split('\n')) {
    if (start.test(line)) {
      if (cur && (out.length > 0 || cur.join('\n').trim())) out.push(cur.join('\n'))
      cur = []
      continue
    }
    if (!cur) cur = []
    cur.push(line)
  }
  if (cur) out.push(cur.join('\n'))
  return out
}

// joinDialogue writes exchanges back, each opened by <START>; empty exchanges are kept, so
// that an exchange the writer just added stays on screen.
export function joinDialogue(exchanges: string[]): string {
  return exchanges.map((e) => `<START>\n${e}`).join('\n')
}
