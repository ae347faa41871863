import { describe, type AppError } from '../bridge'

// ErrorAlert says what went wrong with the writer's last action, as an alert; nothing when
// nothing did.
export function ErrorAlert({ error }: { error: AppError | null | undefined }) {
  if (!error) return null
  return (
    <p className="error" role="alert">
      {describe(error)}
    </p>
  )
}
