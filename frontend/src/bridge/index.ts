// The only code that calls Go: typed wrappers over the generated bindings.
import * as Workspace from './wailsjs/go/app/WorkspaceService'
import * as Providers from './wailsjs/go/app/ProviderService'
import * as Settings from './wailsjs/go/app/SettingsService'
import * as Operations from './wailsjs/go/app/OperationService'
import type { app, provider, store } from './wailsjs/go/models'
import { toAppError } from './errors'

export type { app, provider, store }
export { toAppError, describe } from './errors'
export type { AppError } from './errors'

// call turns a rejected binding into an AppError.
async function call<T>(p: Promise<T>): Promise<T> {
  try {
    return await p
  } catch (e) {
    throw toAppError(e)
  }
}

export const workspace = {
  status: () => call(Workspace.Status()),
  reopen: () => call(Workspace.Reopen()),
  doctor: () => call(Workspace.Doctor()),
  exportTo: (path: string) => call(Workspace.Export({ path })),
  importFrom: (path: string) => call(Workspace.Import({ path })),
}

export const providers = {
  list: () => call(Providers.List()),
  kinds: () => call(Providers.Kinds()),
  add: (p: provider.Provider, apiKey: string) => call(Providers.Add({ provider: p, apiKey } as app.AddProviderRequest)),
  test: (name: string) => call(Providers.Test({ name })),
  remove: (name: string) => call(Providers.Remove({ name })),
}

export const settings = {
  get: () => call(Settings.Get()),
  save: (s: app.Settings) => call(Settings.Save(s)),
}

export const operations = {
  cancel: (id: string) => call(Operations.Cancel({ id })),
}
