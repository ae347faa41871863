// The only code that calls Go: typed wrappers over the generated bindings.
import * as Workspace from './wailsjs/go/app/WorkspaceService'
import * as Providers from './wailsjs/go/app/ProviderService'
import * as Settings from './wailsjs/go/app/SettingsService'
import * as Operations from './wailsjs/go/app/OperationService'
import * as Personas from './wailsjs/go/app/PersonaService'
import type { app, persona, provider, store } from './wailsjs/go/models'
import * as Datasets from './wailsjs/go/app/DatasetService'
import type { dataset } from './wailsjs/go/models'
import * as Chat from './wailsjs/go/app/ChatService'
import type { chat } from './wailsjs/go/models'
import * as Lore from './wailsjs/go/app/LoreService'
import type { lore as loreTypes } from './wailsjs/go/models'
import * as Batch from './wailsjs/go/app/BatchService'
import type { batch as batchTypes } from './wailsjs/go/models'
import * as Evals from './wailsjs/go/app/EvalService'
import type { evals as evalTypes } from './wailsjs/go/models'
import type { AppError } from './errors'
import { toAppError } from './errors'
import { follow, type OpEvent } from './ops'

export type { app, persona, provider, store }
export type { dataset }
export { toAppError, describe, invalidField } from './errors'
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
  // confirmedApiKeyEnv repeats p.apiKeyEnv once the writer has confirmed, in the window, that
  // the provider may read that variable; Go reads no variable without it.
  add: (p: provider.Provider, apiKey: string, confirmedApiKeyEnv = '') =>
    call(Providers.Add({ provider: p, apiKey, confirmedApiKeyEnv } as app.AddProviderRequest)),
  // update changes a provider; a new base URL needs the key (or a confirmed variable) again.
  update: (p: provider.Provider, apiKey: string, confirmedApiKeyEnv = '') =>
    call(Providers.Update({ provider: p, apiKey, confirmedApiKeyEnv } as app.AddProviderRequest)),
  test: (name: string) => call(Providers.Test({ name })),
  // models asks an OpenAI-compatible server (a saved provider by name, or an address) what it serves.
  models: (req: { name?: string; baseUrl?: string; apiKey?: string }) => call(Providers.Models(req as app.ProviderModelsRequest)),
  remove: (name: string) => call(Providers.Remove({ name })),
}

export const settings = {
  get: () => call(Settings.Get()),
  save: (s: app.Settings) => call(Settings.Save(s)),
}

export const operations = {
  cancel: (id: string) => call(Operations.Cancel({ id })),
}

// Plain is a generated model as data: what Go sends and takes, without the class helpers, so
// the window can copy and edit it with spreads.
export type Plain<T> = T extends (infer U)[]
  ? Plain<U>[]
  : T extends object
    ? { [K in keyof T as K extends 'convertValues' ? never : K]: Plain<T[K]> }
    : T

export type PersonaData = Plain<persona.Persona>
export type PersonaVersion = Plain<persona.PersonaVersion>
// PersonaEdit is a version as the editor edits it: extensions as JSON text, the lorebook and
// card kept in Go (see app.PersonaEdit).
export type PersonaEdit = Plain<app.PersonaEdit>
export type TemplateData = Plain<persona.Template>
export type PersonaFamily = 'bedrock-converse' | 'claude-messages' | 'titan-text' | 'llama3' | 'openai-chat'
export type PersonaMode = 'base' | 'rag'
export type CardFormat = 'ccv2' | 'ccv3'

export const personas = {
  list: (query: string, offset: number, limit: number) => call(Personas.List({ query, offset, limit })),
  open: (ref: string): Promise<PersonaEdit> => call(Personas.Open({ ref })),
  create: (name: string): Promise<PersonaVersion> => call(Personas.Create({ name })),
  save: (p: PersonaData, extensions: string): Promise<PersonaVersion> =>
    call(Personas.Save({ persona: p, form: true, extensions } as app.SavePersonaRequest)),
  history: (ref: string) => call(Personas.History({ ref })),
  version: (id: string, n: number): Promise<PersonaVersion> => call(Personas.Version({ id, n })),
  diff: (id: string, from: number, to: number) => call(Personas.Diff({ id, from, to } as app.PersonaDiffRequest)),
  restore: (id: string, n: number): Promise<PersonaVersion> => call(Personas.Restore({ id, n })),
  saveAsNew: (id: string, n: number, name: string): Promise<PersonaVersion> => call(Personas.SaveAsNew({ id, n, name })),
  remove: (ref: string) => call(Personas.Delete({ ref })),
  // importCard refuses a card matching a persona (code card_matches) unless onMatch says
  // what to do: 'replace' (a new version of it) or 'keepBoth' (a name not yet taken).
  importCard: (path: string, onMatch: '' | 'replace' | 'keepBoth' = '') => call(Personas.Import({ path, onMatch })),
  exportCard: (ref: string, format: CardFormat, png: boolean, path: string) => call(Personas.Export({ ref, format, png, path })),
  families: () => call(Personas.Families()),
  preview: (p: PersonaData, family: PersonaFamily, mode: PersonaMode, message: string) =>
    call(Personas.Preview({ persona: p, family, mode, message } as app.PreviewRequest)),
  templates: () => call(Personas.Templates()),
  template: (id: string) => call(Personas.Template({ id })),
  createTemplate: (t: TemplateData) => call(Personas.CreateTemplate({ template: t } as app.TemplateRequest)),
  saveTemplate: (t: TemplateData) => call(Personas.SaveTemplate({ template: t } as app.TemplateRequest)),
  templateHistory: (id: string) => call(Personas.TemplateHistory({ id })),
  restoreTemplate: (id: string, n: number) => call(Personas.RestoreTemplate({ id, n })),
  templateFuncs: () => call(Personas.TemplateFuncs()),
}

// Datasets. Results of the long operations arrive in their done event; they are not in any
// bound signature, so they are not generated: these mirror backend/dataset's Report,
// PairReport, ImportResult and ExportResult and app.DatasetProgress.
export type DatasetData = Plain<dataset.Dataset>
export type RecordView = Plain<dataset.RecordView>
export type RecordData = Plain<dataset.Record>
export type BaseModel = Plain<dataset.BaseModel>
export type SplitOptions = Plain<dataset.SplitOptions>
export type DatasetVersion = Plain<dataset.Version>
export type DatasetDiff = Plain<dataset.Diff>
export type RecordChange = Plain<dataset.RecordChange>
export type RecordFormat = 'prompt-completion' | 'claude-messages' | 'bedrock-conversation' | 'input-output'

export interface DatasetProblem {
  line: number
  field: string
  message: string
}
export interface DatasetStats {
  records: number
  tokens: { min: number; max: number; mean: number; p50: number; p95: number; total: number }
  longest: { line: number; tokens: number }[]
  bytes: number
}
export interface DatasetReport {
  valid: boolean
  format: string
  records: number
  errors: DatasetProblem[]
  warnings: DatasetProblem[]
  errorCount: number
  warningCount: number
  truncated: boolean
  stats: DatasetStats
}
export interface DatasetPairReport {
  valid: boolean
  training: DatasetReport
  validation?: DatasetReport
}
export interface ImportResult {
  version: Plain<dataset.Version>
  imported: number
  skipped: number
  errors: DatasetProblem[]
  warnings: DatasetProblem[]
  errorCount: number
  warningCount: number
  truncated: boolean
}
export interface ExportedFile {
  path: string
  records: number
  bytes: number
}
export interface ExportResult {
  format: string
  training: ExportedFile
  validation?: ExportedFile
  lossy: number
  losses: DatasetProblem[]
}
// DatasetProgress is Done of Total, in bytes of a file or records of a version.
export interface DatasetProgress {
  done: number
  total: number
  unit: 'bytes' | 'records'
}

// operation follows a long operation to its end: progress (P) goes to onProgress, the
// result (T) resolves, an error rejects as an AppError.
async function operation<T, P>(start: (opId: string) => Promise<unknown>, onProgress?: (p: P) => void): Promise<T> {
  const end: OpEvent<T | P> = await follow<T | P>(
    (id) => call(start(id)),
    (e) => {
      if (e.type === 'progress' && onProgress && e.data) onProgress(e.data as P)
    },
  )
  if (end.type === 'error') throw toAppError(end.error)
  return end.data as T
}

export const datasets = {
  list: (): Promise<DatasetData[]> => call(Datasets.List()),
  targets: () => call(Datasets.Targets()),
  get: (id: string): Promise<DatasetData> => call(Datasets.Get({ id })),
  create: (name: string, baseModel: string, format: string): Promise<DatasetData> => call(Datasets.Create({ name, baseModel, format })),
  update: (id: string, change: { name?: string; baseModel?: string; format?: string }): Promise<DatasetData> =>
    call(Datasets.Update({ id, name: '', baseModel: '', format: '', ...change })),
  remove: (id: string) => call(Datasets.Delete({ id })),
  versions: (id: string): Promise<DatasetVersion[]> => call(Datasets.Versions({ id })),
  // diff pages the changes from one version to another; the counts are of all of them.
  diff: (datasetId: string, from: number, to: number, offset = 0, limit = 100): Promise<DatasetDiff> =>
    call(Datasets.Diff({ datasetId, from, to, offset, limit })),
  page: (req: Partial<Plain<dataset.PageRequest>> & { datasetId: string }) =>
    call(Datasets.Page({ version: 0, offset: 0, limit: 200, tag: '', text: '', line: 0, ...req })),
  record: (datasetId: string, version: number, id: string): Promise<RecordView> => call(Datasets.Record({ datasetId, version, id })),
  updateRecord: (datasetId: string, baseVersion: number, id: string, record: RecordData, tags: string[]) =>
    call(Datasets.UpdateRecord({ datasetId, baseVersion, id, record, tags } as dataset.UpdateRecordRequest)),
  deleteRecords: (datasetId: string, baseVersion: number, ids: string[]) => call(Datasets.DeleteRecords({ datasetId, baseVersion, ids })),
  findReplace: (req: Plain<dataset.FindReplaceRequest>) => call(Datasets.FindReplace(req)),
  tag: (datasetId: string, baseVersion: number, ids: string[], add: string[], remove: string[]) =>
    call(Datasets.Tag({ datasetId, baseVersion, ids, add, remove })),
  tags: (datasetId: string) => call(Datasets.Tags({ datasetId, version: 0 })),
  dedupe: (req: Plain<dataset.DedupeRequest>) => call(Datasets.Dedupe(req)),
  split: (datasetId: string, split: SplitOptions) => call(Datasets.Split({ datasetId, version: 0, split } as dataset.SplitRequest)),
  importFile: (req: Plain<dataset.ImportRequest>, onProgress?: (p: DatasetProgress) => void) =>
    operation<ImportResult, DatasetProgress>((opId) => Datasets.Import({ opId, import: req } as app.DatasetImportRequest), onProgress),
  validate: (datasetId: string, split: SplitOptions | null, onProgress?: (p: DatasetProgress) => void) =>
    operation<DatasetPairReport, DatasetProgress>(
      (opId) => Datasets.Validate({ opId, validate: { datasetId, version: 0, batchSize: 0, split } } as app.DatasetValidateRequest),
      onProgress,
    ),
  validateFile: (req: Omit<Plain<app.FileValidateRequest>, 'opId'>, onProgress?: (p: DatasetProgress) => void) =>
    operation<DatasetReport, DatasetProgress>((opId) => Datasets.ValidateFile({ opId, ...req }), onProgress),
  exportTo: (req: Plain<dataset.ExportRequest>, onProgress?: (p: DatasetProgress) => void) =>
    operation<ExportResult, DatasetProgress>((opId) => Datasets.Export({ opId, export: req } as app.DatasetExportRequest), onProgress),
}

// Chat. A reply's batches and result arrive in its operation's events; they are not in any
// bound signature, so they are not generated: StreamPart mirrors app.StreamPart and
// ChatResult chat.Result.
export type { chat }
export type ChatView = Plain<chat.View>
export type ChatMessage = Plain<chat.Message>
export type ChatConfig = Plain<chat.Config>
export type ChatSummary = Plain<chat.Summary>
export type CompareRun = Plain<chat.Run>
export type Citation = Plain<chat.Citation>
export type ChatSetup = Plain<app.ChatSetup>
export type ChatMode = 'base' | 'finetuned' | 'rag'

export interface ChatResult {
  chatId: string
  user: ChatMessage
  reply?: ChatMessage
}

export interface StreamPart {
  column: number
  text?: string
  citations?: Citation[]
  notices?: string[]
}

interface ChatStreamEvent {
  parts: StreamPart[]
}

// ChatOp is a running chat operation: its id (for Stop) once started, and its end.
export interface ChatOp<T> {
  id: string
  done: Promise<T>
}

// chatOperation follows a chat operation from before it starts: batches go to onParts as
// they arrive, the result resolves done, a failure rejects it as an AppError. It returns as
// soon as the operation has started, so the window can offer Stop at once.
async function chatOperation<T>(start: (opId: string) => Promise<unknown>, onParts: (parts: StreamPart[]) => void): Promise<ChatOp<T>> {
  let started!: (id: string) => void
  let failed!: (e: AppError) => void
  const opId = new Promise<string>((ok, fail) => {
    started = ok
    failed = fail
  })
  const done = follow<ChatStreamEvent | T>(
    (id) =>
      call(start(id)).then(
        () => started(id),
        (e: AppError) => {
          failed(e)
          throw e
        },
      ),
    (e) => {
      if (e.type === 'data' && e.data) onParts((e.data as ChatStreamEvent).parts ?? [])
    },
  ).then((end) => {
    if (end.type === 'error') throw toAppError(end.error)
    return end.data as T
  })
  done.catch(() => undefined) // a start failure rejects opId too; the caller awaits that one
  return { id: await opId, done }
}

export const chats = {
  setup: (): Promise<ChatSetup> => call(Chat.Setup()),
  list: (personaId = '', offset = 0, limit = 200) => call(Chat.List({ personaId, withCompare: false, offset, limit })),
  get: (id: string): Promise<ChatView> => call(Chat.Get({ id })),
  create: (personaRef: string, config: ChatConfig): Promise<ChatView> =>
    call(Chat.Create({ personaRef, config } as app.CreateChatRequest)),
  remove: (id: string) => call(Chat.Delete({ id })),
  send: (chatId: string, message: string, config: ChatConfig, onParts: (p: StreamPart[]) => void, timeoutSeconds = 0) =>
    chatOperation<ChatResult>((opId) => Chat.Send({ opId, chatId, message, config, timeoutSeconds } as app.SendRequest), onParts),
  regenerate: (chatId: string, messageId: string, config: ChatConfig | null, onParts: (p: StreamPart[]) => void) =>
    chatOperation<ChatResult>(
      (opId) => Chat.Regenerate({ opId, chatId, messageId, config: config ?? { provider: '', mode: '' } } as app.RegenerateRequest),
      onParts,
    ),
  stop: (opId: string) => call(Operations.Cancel({ id: opId })),
  edit: (chatId: string, messageId: string, text: string) => call(Chat.Edit({ chatId, messageId, text })),
  selectSwipe: (chatId: string, messageId: string): Promise<ChatView> => call(Chat.SelectSwipe({ chatId, messageId })),
  compare: (personaRef: string, message: string, configs: ChatConfig[], onParts: (p: StreamPart[]) => void) =>
    chatOperation<CompareRun>((opId) => Chat.Compare({ opId, personaRef, message, configs } as app.CompareRequest), onParts),
  run: (id: string): Promise<CompareRun> => call(Chat.GetRun({ id })),
  saveVerdict: (runId: string, winner: number, note: string): Promise<CompareRun> => call(Chat.SaveVerdict({ runId, winner, note })),
  verdicts: (offset = 0, limit = 100) => call(Chat.ListVerdicts({ judged: true, personaId: '', offset, limit })),
  saveAsTrainingData: (chatId: string, messageId: string, correctedReply: string, datasetId: string, tags: string[]) =>
    call(Chat.SaveAsTrainingData({ chatId, messageId, correctedReply, datasetId, tags })),
}

// Lore. Results of the long operations arrive in their done event and are not generated:
// AddReport mirrors lore.AddReport, LoreAddProgress lore.AddProgress, LoreProgress
// app.LoreProgress and PushResult app.LorePushResult.
export type { loreTypes }
export type LoreDocument = Plain<loreTypes.Document>
export type LoreChunk = Plain<loreTypes.Chunk>
export type ChunkOptions = Plain<loreTypes.ChunkOptions>
export type ChunkPreview = Plain<loreTypes.ChunkPreview>
export type LoreQuery = Plain<loreTypes.Query>
export type LoreResult = Plain<loreTypes.Result>
export type LoreResults = Plain<loreTypes.SearchResults>
export type LoreStatus = Plain<app.LoreStatus>
export type LoreEmbedder = Plain<app.LoreEmbedder>
// LoreRAG is what RAG prompts take from the library: the relevance floor.
export type LoreRAG = Plain<app.LoreRAG>
export type EmbedProgress = Plain<loreTypes.EmbedProgress>
export type LoreTeam = Plain<app.LoreTeam>
export type LoreTeamStatus = Plain<app.LoreTeamStatus>
export type LoreTurnView = Plain<app.LoreTurnView>
export type Activation = Plain<loreTypes.Activation>
export type LorebookView = Plain<app.LorebookView>
export type LorebookData = Plain<persona.Lorebook>
export type LorebookEntry = Plain<persona.LoreEntry>
export type LoreMode = 'keyword' | 'vector' | 'hybrid'
export type ChunkStrategy = 'paragraphs' | 'fixed' | 'cloud'

export interface LoreFileProblem {
  path: string
  code: string
  message: string
}
export interface AddReport {
  added: LoreDocument[] | null
  updated: LoreDocument[] | null
  unchanged: LoreDocument[] | null
  failed: LoreFileProblem[] | null
  skipped?: string[]
  // books are World Info files imported as lorebooks of the library; warnings name
  // documents whose text looks garbled.
  books?: LoreBook[] | null
  warnings?: string[] | null
}
export type LoreBook = Plain<loreTypes.Book>
export interface LoreAddProgress {
  file: string
  fileIndex: number
  files: number
  stage: 'reading' | 'indexing' | 'done' | 'failed'
  bytes: number
  size: number
  chunks: number
}
export interface LoreProgress {
  done: number
  total: number
  unit: 'chunks'
}
export interface PushResult {
  index: string
  files: string[]
  chunks: number
}

// LoreModelProgress is app.LoreModelProgress: the built-in embedder's model download, in bytes.
export type LoreModelProgress = { done: number; total: number }

export const lore = {
  status: (): Promise<LoreStatus> => call(Lore.Status()),
  list: (req: Partial<Plain<app.LoreListRequest>> = {}) => call(Lore.List({ offset: 0, limit: 100, ...req })),
  get: (doc: string): Promise<LoreDocument> => call(Lore.Get({ doc })),
  chunks: (doc: string, from = 0, limit = 100) => call(Lore.Chunks({ doc, from, limit })),
  add: (req: Omit<Plain<app.LoreAddRequest>, 'opId'>, onProgress?: (p: LoreAddProgress) => void) =>
    operation<AddReport, LoreAddProgress>((opId) => Lore.Add({ opId, ...req } as app.LoreAddRequest), onProgress),
  updateMeta: (doc: string, update: { collection?: string; tags?: Record<string, string> }): Promise<LoreDocument> =>
    call(Lore.UpdateMeta({ doc, update } as app.LoreMetaRequest)),
  remove: (doc: string) => call(Lore.Remove({ doc })),
  reindex: (chunking: ChunkOptions | null, onProgress?: (p: LoreProgress) => void) =>
    operation<LoreStatus, LoreProgress>((opId) => Lore.Reindex({ opId, chunking } as app.LoreReindexRequest), onProgress),
  search: (q: LoreQuery): Promise<LoreResults> => call(Lore.Search(q as loreTypes.Query)),
  preview: (req: { path?: string; doc?: string; chunking: ChunkOptions; limit?: number }): Promise<ChunkPreview> =>
    call(Lore.Preview(req as app.LorePreviewRequest)),
  setEmbedder: (embedder: LoreEmbedder, onProgress?: (p: EmbedProgress) => void) =>
    operation<EmbedProgress, EmbedProgress>((opId) => Lore.SetEmbedder({ opId, embedder } as app.LoreEmbedderRequest), onProgress),
  watchEmbedding: (onProgress?: (p: EmbedProgress) => void) =>
    operation<EmbedProgress, EmbedProgress>((opId) => Lore.WatchEmbedding({ opId }), onProgress),
  embedStatus: (): Promise<EmbedProgress> => call(Lore.EmbedStatus()),
  pauseEmbedding: (paused: boolean): Promise<EmbedProgress> => call(Lore.PauseEmbedding({ paused })),
  ragSettings: (): Promise<LoreRAG> => call(Lore.RAGSettings()),
  saveRagSettings: (cfg: LoreRAG): Promise<LoreRAG> => call(Lore.SaveRAGSettings(cfg as app.LoreRAG)),
  model: (): Promise<app.LoreModel> => call(Lore.Model()),
  downloadModel: (onProgress?: (p: LoreModelProgress) => void) =>
    operation<app.LoreModel, LoreModelProgress>((opId) => Lore.DownloadModel({ opId }), onProgress),
  teamConnect: (team: LoreTeam, password: string): Promise<LoreTeamStatus> => call(Lore.TeamConnect({ team, password } as app.LoreTeamConnectRequest)),
  teamStatus: (): Promise<LoreTeamStatus> => call(Lore.TeamStatus()),
  teamEnsureIndex: (): Promise<LoreTeamStatus> => call(Lore.TeamEnsureIndex()),
  teamPush: (docs: string[], all: boolean, onProgress?: (p: LoreProgress) => void) =>
    operation<PushResult, LoreProgress>((opId) => Lore.TeamPush({ opId, docs, all }), onProgress),
  teamSearch: (text: string, k: number, hybrid: boolean): Promise<LoreResults> => call(Lore.TeamSearch({ text, k, hybrid })),
  teamHydrated: (file: string) => call(Lore.TeamHydrated({ file })),
  teamDisconnect: () => call(Lore.TeamDisconnect()),
  turn: (chatId: string, messageId: string): Promise<LoreTurnView> => call(Lore.Turn({ chatId, messageId })),
  tryLorebook: (personaRef: string, messages: string[]): Promise<Activation> => call(Lore.TryLorebook({ personaRef, messages })),
  lorebook: (personaRef: string): Promise<LorebookView> => call(Lore.Lorebook({ personaRef })),
  books: (): Promise<LoreBook[]> => call(Lore.Books()),
  importBook: (path: string): Promise<LoreBook> => call(Lore.ImportBook({ path })),
  exportBook: (book: string, path: string): Promise<LoreBook> => call(Lore.ExportBook({ book, path })),
  removeBook: (book: string) => call(Lore.RemoveBook({ book })),
  attachBook: (book: string, persona: string) => call(Lore.AttachBook({ book, persona })),
  saveLorebook: (personaRef: string, lorebook: LorebookData): Promise<LorebookView> =>
    call(Lore.SaveLorebook({ personaRef, lorebook } as app.SaveLorebookRequest)),
}

// Batch scripts. BatchProgress mirrors batch.Progress, which arrives in a run's progress
// and done events and is not generated.
export type BatchLine = Plain<batchTypes.Line>
export type BatchStatus = Plain<batchTypes.Status>
export type BatchExportResult = Plain<batchTypes.ExportResult>
export type BatchLinesPage = Plain<app.BatchLinesPage>
export type BatchLinesQuery = Omit<Plain<app.BatchLinesRequest>, 'runId'>
export type BatchSpecSummary = Plain<app.BatchSpecSummary>
export type BatchReviewAction = 'accept' | 'reject' | 'edit' | 'note' | 'reset'
export type BatchFormat = 'yarn' | 'csv' | 'vo' | 'jsonl'

export interface BatchProgress {
  runId: string
  total: number
  done: number
  failed: number
  pending: number
  inputTokens: number
  outputTokens: number
  costUsd?: number
  linesPerSec: number
  etaSeconds: number
  concurrency: number
  throttled: number
}

// BatchRunOp is a run being written: its operation id (for Stop), its run id, and its end.
export interface BatchRunOp {
  opId: string
  runId: string
  lines: number
  resumed: boolean
  done: Promise<BatchProgress>
}

// startedOperation starts a long operation subscribed from the start (batch runs, test runs); it resolves as soon
// as Go has accepted it, with the started value, and done settles at its end.
async function startedOperation<S, T, P>(start: (opId: string) => Promise<S>, onProgress?: (p: P) => void): Promise<{ started: S; opId: string; done: Promise<T> }> {
  let ok!: (v: { started: S; opId: string }) => void
  let fail!: (e: AppError) => void
  const begun = new Promise<{ started: S; opId: string }>((a, b) => {
    ok = a
    fail = b
  })
  const done = follow<T | P>(
    (id) =>
      call(start(id)).then(
        (s) => ok({ started: s, opId: id }),
        (e: AppError) => {
          fail(e)
          throw e
        },
      ),
    (e) => {
      if (e.type === 'progress' && onProgress && e.data) onProgress(e.data as P)
    },
  ).then((end) => {
    if (end.type === 'error') throw toAppError(end.error)
    return end.data as T
  })
  done.catch(() => undefined) // a start failure rejects begun too; the caller awaits that one
  const b = await begun
  return { ...b, done }
}

export const batches = {
  check: (specPath: string, provider = ''): Promise<BatchSpecSummary> => call(Batch.Check({ specPath, provider })),
  list: (): Promise<BatchStatus[]> => call(Batch.List()),
  status: (runId: string): Promise<BatchStatus> => call(Batch.Status({ runId })),
  lines: (runId: string, q: BatchLinesQuery = {}): Promise<BatchLinesPage> => call(Batch.Lines({ runId, ...q } as app.BatchLinesRequest)),
  // run starts a run of a spec (or resumes one: resume, or runId); progress arrives at most
  // every 100 ms.
  run: async (req: { specPath?: string; provider?: string; concurrency?: number; resume?: boolean; runId?: string }, onProgress?: (p: BatchProgress) => void): Promise<BatchRunOp> => {
    const op = await startedOperation<app.BatchStarted, BatchProgress, BatchProgress>(
      (opId) => Batch.Run({ opId, specPath: '', ...req } as app.BatchRunRequest),
      onProgress,
    )
    return { opId: op.opId, runId: op.started.runId, lines: op.started.lines, resumed: op.started.resumed, done: op.done }
  },
  // regenerate writes one line again, keeping its id.
  regenerate: async (runId: string, lineId: string): Promise<BatchLine> => {
    const op = await startedOperation<string, BatchLine, never>((opId) => Batch.Regenerate({ opId, runId, lineId }))
    return op.done
  },
  review: (runId: string, lineId: string, action: BatchReviewAction, text = ''): Promise<BatchLine> =>
    call(Batch.Review({ runId, lineId, action, text })),
  exportTo: (runId: string, dir: string, formats: BatchFormat[], all: boolean): Promise<BatchExportResult> =>
    call(Batch.Export({ runId, dir, formats, all })),
  stop: (opId: string) => call(Operations.Cancel({ id: opId })),
}

// Cloud: the team's AWS deployments, pushes and runs.
import * as Cloud from './wailsjs/go/app/CloudService'
import type { cloud as cloudTypes } from './wailsjs/go/models'

export type CloudDeployment = Plain<cloudTypes.Deployment>
export type CloudStatus = Plain<cloudTypes.Status>
export type CloudPlan = Plain<cloudTypes.Plan>
export type CloudUpload = Plain<cloudTypes.Upload>
export type CloudRuns = Plain<cloudTypes.Runs>
export type CloudRun = Plain<cloudTypes.Run>
// PushProgress mirrors app.PushProgress: bytes S3 has acknowledged.
export interface PushProgress {
  uploadId: string
  done: number
  total: number
}
export interface ResumeResult {
  finished: CloudUpload[]
}

export const cloud = {
  list: () => call(Cloud.List()),
  connect: (d: { workload: string; stage: string; region: string; profile: string; name: string }): Promise<CloudStatus> =>
    call(Cloud.Connect({ deployment: { v: 1, created: '', updated: '', ...d } } as app.ConnectRequest)),
  use: (name: string) => call(Cloud.Use({ name })),
  remove: (name: string) => call(Cloud.Remove({ name })),
  status: (name = ''): Promise<CloudStatus> => call(Cloud.Status({ name })),
  runs: (name = ''): Promise<CloudRuns> => call(Cloud.Runs({ name })),
  uploads: (): Promise<CloudUpload[]> => call(Cloud.Uploads()),
  planLore: (source: { collection?: string; docs?: string[] }, stage = ''): Promise<CloudPlan> =>
    call(Cloud.PlanLore({ source, stage } as app.LorePlanRequest)),
  planDataset: (source: { datasetId?: string; version?: number; file?: string; baseModel?: string }): Promise<CloudPlan> =>
    call(Cloud.PlanDataset({ source } as app.DatasetPlanRequest)),
  discard: (id: string) => call(Cloud.Discard({ id })),
  // push sends a staged plan; onStart gets the operation id (for Cancel).
  push: (planId: string, force: boolean, onProgress?: (p: PushProgress) => void, onStart?: (opId: string) => void) =>
    operation<CloudUpload, PushProgress>((opId) => {
      onStart?.(opId)
      return Cloud.Push({ opId, planId, force })
    }, onProgress),
  abandon: (uploadId: string): Promise<CloudUpload> => call(Cloud.Abandon({ uploadId })),
  resume: (onProgress?: (p: PushProgress) => void) =>
    operation<ResumeResult, PushProgress>((opId) => Cloud.Resume({ opId, uploadId: '' }), onProgress),
}

// Models: the versions tuning runs register, their evidence, approve and reject.
import * as Models from './wailsjs/go/app/ModelService'

export type ModelList = Plain<app.ModelList>
export type ModelVersion = Plain<cloudTypes.ModelVersion>
export type ModelDecision = Plain<cloudTypes.Decision>
export type ModelDeploymentState = Plain<cloudTypes.DeploymentState>
export type LossPoint = Plain<cloudTypes.LossPoint>
export type DecisionAction = 'approve' | 'reject'

export const models = {
  list: (): Promise<ModelList> => call(Models.List()),
  show: (version: number): Promise<ModelVersion> => call(Models.Show({ version })),
  consequence: (version: number, action: DecisionAction): Promise<string> => call(Models.Consequence({ version, action })),
  approve: (version: number, note: string, force: boolean): Promise<ModelDecision> => call(Models.Approve({ version, note, force })),
  reject: (version: number, note: string): Promise<ModelDecision> => call(Models.Reject({ version, note, force: false })),
  history: (): Promise<ModelDecision[]> => call(Models.History()),
  deployment: (): Promise<ModelDeploymentState> => call(Models.Deployment()),
  // candidate: the chat configurations of a version (its provisioned throughput) and of production.
  candidate: (version: number): Promise<Plain<app.CandidateChat>> => call(Models.Candidate({ version })),
}

// Test suites. EvalProgress mirrors evals.Progress, which arrives in a run's progress
// events and is not generated; a run's done event carries the finished evals.Run.
export type EvalSuite = Plain<evalTypes.Suite>
export type EvalCase = Plain<evalTypes.TestCase>
export type EvalAssertion = Plain<evalTypes.Assertion>
export type EvalSuiteSummary = Plain<evalTypes.SuiteSummary>
export type EvalSuiteVersion = Plain<evalTypes.SuiteVersion>
export type EvalRun = Plain<evalTypes.Run>
export type EvalCaseResult = Plain<evalTypes.CaseResult>
export type EvalOutcome = Plain<evalTypes.Outcome>
export type EvalRunView = Plain<app.EvalRunView>
export type EvalConfig = Plain<chat.Config>

export interface EvalProgress {
  runId: string
  total: number
  done: number
  passed: number
  failed: number
  errors: number
}

// EvalRunOp is a test run under way: its operation id (for Stop), its run id, and its end.
export interface EvalRunOp {
  opId: string
  runId: string
  cases: number
  configs: number
  embedder: string
  done: Promise<EvalRun>
}

export const tests = {
  kinds: (): Promise<string[]> => call(Evals.Kinds()),
  list: (): Promise<EvalSuiteSummary[]> => call(Evals.List()),
  get: (suite: string): Promise<EvalSuiteVersion> => call(Evals.Get({ suite })),
  save: (suite: EvalSuite, note = ''): Promise<EvalSuiteVersion> => call(Evals.Save({ suite, note } as app.EvalSaveRequest)),
  remove: (suite: string) => call(Evals.Delete({ suite })),
  importFrom: (path: string): Promise<EvalSuiteVersion> => call(Evals.Import({ path })),
  exportTo: (suite: string, path: string): Promise<string> => call(Evals.Export({ suite, path })),
  runs: (suite = ''): Promise<EvalRun[]> => call(Evals.Runs({ suite })),
  results: (runId: string): Promise<EvalRunView> => call(Evals.Results({ runId })),
  // run asks every case of every configuration; progress arrives at most every 100 ms.
  run: async (
    req: { suite: string; configs: EvalConfig[]; persona?: string; judge?: EvalConfig; concurrency?: number },
    onProgress?: (p: EvalProgress) => void,
  ): Promise<EvalRunOp> => {
    const op = await startedOperation<app.EvalStarted, EvalRun, EvalProgress>((opId) => Evals.Run({ opId, ...req } as app.EvalRunRequest), onProgress)
    return { opId: op.opId, runId: op.started.runId, cases: op.started.cases, configs: op.started.configs, embedder: op.started.embedder, done: op.done }
  },
  stop: (opId: string) => call(Operations.Cancel({ id: opId })),
}
