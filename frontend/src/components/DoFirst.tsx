// DoFirst is every "do X first" message: the thing to do is a link that takes you there.
export function DoFirst(props: { action: string; onGo: () => void; why?: string; className?: string }) {
  return (
    <p className={props.className ?? 'empty'}>
      <button type="button" className="link" onClick={props.onGo}>
        {props.action}
      </button>{' '}
      first{props.why ? `: ${props.why}` : '.'}
    </p>
  )
}
