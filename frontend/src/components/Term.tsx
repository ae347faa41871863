// Term is a plain label for a technical idea, with the technical name and what it means in
// its tooltip (hover, or focus from the keyboard).
export function Term(props: { children: React.ReactNode; tip: string }) {
  return (
    <span className="term" title={props.tip} tabIndex={0}>
      {props.children}
    </span>
  )
}
