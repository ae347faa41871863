export namespace app {
	
	export class AWSStatus {
	    configured: boolean;
	    identity?: cloud.Identity;
	    error?: string;
	
	    static createFrom(source: any = {}) {
	        return new AWSStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.configured = source["configured"];
	        this.identity = this.convertValues(source["identity"], cloud.Identity);
	        this.error = source["error"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AbandonRequest {
	    uploadId: string;
	
	    static createFrom(source: any = {}) {
	        return new AbandonRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.uploadId = source["uploadId"];
	    }
	}
	export class AddProviderRequest {
	    provider: provider.Provider;
	    apiKey: string;
	    confirmedApiKeyEnv: string;
	
	    static createFrom(source: any = {}) {
	        return new AddProviderRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.provider = this.convertValues(source["provider"], provider.Provider);
	        this.apiKey = source["apiKey"];
	        this.confirmedApiKeyEnv = source["confirmedApiKeyEnv"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AddedRecord {
	    record: dataset.RecordView;
	    version: dataset.Version;
	
	    static createFrom(source: any = {}) {
	        return new AddedRecord(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.record = this.convertValues(source["record"], dataset.RecordView);
	        this.version = this.convertValues(source["version"], dataset.Version);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ArchiveRequest {
	    path: string;
	
	    static createFrom(source: any = {}) {
	        return new ArchiveRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	    }
	}
	export class BatchExportRequest {
	    runId: string;
	    dir: string;
	    formats?: string[];
	    all?: boolean;
	    language?: string;
	
	    static createFrom(source: any = {}) {
	        return new BatchExportRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.runId = source["runId"];
	        this.dir = source["dir"];
	        this.formats = source["formats"];
	        this.all = source["all"];
	        this.language = source["language"];
	    }
	}
	export class BatchLineRef {
	    opId?: string;
	    runId: string;
	    lineId: string;
	
	    static createFrom(source: any = {}) {
	        return new BatchLineRef(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.opId = source["opId"];
	        this.runId = source["runId"];
	        this.lineId = source["lineId"];
	    }
	}
	export class BatchLinesPage {
	    lines: batch.Line[];
	    total: number;
	    scenes: string[];
	    personas: string[];
	
	    static createFrom(source: any = {}) {
	        return new BatchLinesPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.lines = this.convertValues(source["lines"], batch.Line);
	        this.total = source["total"];
	        this.scenes = source["scenes"];
	        this.personas = source["personas"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BatchLinesRequest {
	    runId: string;
	    scene?: string;
	    persona?: string;
	    status?: string;
	    review?: string;
	    flagged?: boolean;
	    offset?: number;
	    limit?: number;
	
	    static createFrom(source: any = {}) {
	        return new BatchLinesRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.runId = source["runId"];
	        this.scene = source["scene"];
	        this.persona = source["persona"];
	        this.status = source["status"];
	        this.review = source["review"];
	        this.flagged = source["flagged"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}
	export class BatchRef {
	    runId: string;
	
	    static createFrom(source: any = {}) {
	        return new BatchRef(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.runId = source["runId"];
	    }
	}
	export class BatchReviewRequest {
	    runId: string;
	    lineId: string;
	    action: string;
	    text?: string;
	
	    static createFrom(source: any = {}) {
	        return new BatchReviewRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.runId = source["runId"];
	        this.lineId = source["lineId"];
	        this.action = source["action"];
	        this.text = source["text"];
	    }
	}
	export class BatchRunRequest {
	    opId?: string;
	    specPath: string;
	    provider?: string;
	    concurrency?: number;
	    resume?: boolean;
	    runId?: string;
	
	    static createFrom(source: any = {}) {
	        return new BatchRunRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.opId = source["opId"];
	        this.specPath = source["specPath"];
	        this.provider = source["provider"];
	        this.concurrency = source["concurrency"];
	        this.resume = source["resume"];
	        this.runId = source["runId"];
	    }
	}
	export class BatchSpecRequest {
	    specPath: string;
	    provider?: string;
	
	    static createFrom(source: any = {}) {
	        return new BatchSpecRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.specPath = source["specPath"];
	        this.provider = source["provider"];
	    }
	}
	export class BatchSpecSummary {
	    specPath: string;
	    scenes: number;
	    lines: number;
	    personas: string[];
	    hash: string;
	
	    static createFrom(source: any = {}) {
	        return new BatchSpecSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.specPath = source["specPath"];
	        this.scenes = source["scenes"];
	        this.lines = source["lines"];
	        this.personas = source["personas"];
	        this.hash = source["hash"];
	    }
	}
	export class BatchStarted {
	    opId: string;
	    runId: string;
	    lines: number;
	    resumed: boolean;
	
	    static createFrom(source: any = {}) {
	        return new BatchStarted(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.opId = source["opId"];
	        this.runId = source["runId"];
	        this.lines = source["lines"];
	        this.resumed = source["resumed"];
	    }
	}
	export class CancelRequest {
	    id: string;
	
	    static createFrom(source: any = {}) {
	        return new CancelRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	    }
	}
	export class CandidateChat {
	    version: number;
	    candidate: chat.Config;
	    production: chat.Config;
	    productionLabel: string;
	
	    static createFrom(source: any = {}) {
	        return new CandidateChat(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.candidate = this.convertValues(source["candidate"], chat.Config);
	        this.production = this.convertValues(source["production"], chat.Config);
	        this.productionLabel = source["productionLabel"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ChatRef {
	    id: string;
	
	    static createFrom(source: any = {}) {
	        return new ChatRef(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	    }
	}
	export class ModeOption {
	    id: string;
	    label: string;
	    detail: string;
	
	    static createFrom(source: any = {}) {
	        return new ModeOption(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.label = source["label"];
	        this.detail = source["detail"];
	    }
	}
	export class ChatSetup {
	    modes: ModeOption[];
	    loreReady: boolean;
	    noLoreNote: string;
	    npcapiNotice: string;
	    batchMs: number;
	    minCompare: number;
	    maxCompare: number;
	
	    static createFrom(source: any = {}) {
	        return new ChatSetup(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.modes = this.convertValues(source["modes"], ModeOption);
	        this.loreReady = source["loreReady"];
	        this.noLoreNote = source["noLoreNote"];
	        this.npcapiNotice = source["npcapiNotice"];
	        this.batchMs = source["batchMs"];
	        this.minCompare = source["minCompare"];
	        this.maxCompare = source["maxCompare"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CompareRequest {
	    opId: string;
	    personaRef: string;
	    message: string;
	    configs: chat.Config[];
	    timeoutSeconds?: number;
	
	    static createFrom(source: any = {}) {
	        return new CompareRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.opId = source["opId"];
	        this.personaRef = source["personaRef"];
	        this.message = source["message"];
	        this.configs = this.convertValues(source["configs"], chat.Config);
	        this.timeoutSeconds = source["timeoutSeconds"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ConnectRequest {
	    deployment: cloud.Deployment;
	
	    static createFrom(source: any = {}) {
	        return new ConnectRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.deployment = this.convertValues(source["deployment"], cloud.Deployment);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ConsequenceRequest {
	    version: number;
	    action: string;
	
	    static createFrom(source: any = {}) {
	        return new ConsequenceRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.action = source["action"];
	    }
	}
	export class CreateChatRequest {
	    personaRef: string;
	    config: chat.Config;
	
	    static createFrom(source: any = {}) {
	        return new CreateChatRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.personaRef = source["personaRef"];
	        this.config = this.convertValues(source["config"], chat.Config);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CreatePersonaRequest {
	    name: string;
	    fromFile?: string;
	
	    static createFrom(source: any = {}) {
	        return new CreatePersonaRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.fromFile = source["fromFile"];
	    }
	}
	export class DatasetExportRequest {
	    opId: string;
	    export: dataset.ExportRequest;
	
	    static createFrom(source: any = {}) {
	        return new DatasetExportRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.opId = source["opId"];
	        this.export = this.convertValues(source["export"], dataset.ExportRequest);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DatasetImportRequest {
	    opId: string;
	    import: dataset.ImportRequest;
	
	    static createFrom(source: any = {}) {
	        return new DatasetImportRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.opId = source["opId"];
	        this.import = this.convertValues(source["import"], dataset.ImportRequest);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DatasetPlanRequest {
	    source: cloud.DatasetSource;
	
	    static createFrom(source: any = {}) {
	        return new DatasetPlanRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.source = this.convertValues(source["source"], cloud.DatasetSource);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DatasetRequest {
	    id: string;
	
	    static createFrom(source: any = {}) {
	        return new DatasetRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	    }
	}
	export class DatasetTargets {
	    baseModels: dataset.BaseModel[];
	    formats: string[];
	
	    static createFrom(source: any = {}) {
	        return new DatasetTargets(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.baseModels = this.convertValues(source["baseModels"], dataset.BaseModel);
	        this.formats = source["formats"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DatasetValidateRequest {
	    opId: string;
	    validate: dataset.ValidateVersionRequest;
	
	    static createFrom(source: any = {}) {
	        return new DatasetValidateRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.opId = source["opId"];
	        this.validate = this.convertValues(source["validate"], dataset.ValidateVersionRequest);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DatasetVersionRequest {
	    datasetId: string;
	    version: number;
	
	    static createFrom(source: any = {}) {
	        return new DatasetVersionRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.datasetId = source["datasetId"];
	        this.version = source["version"];
	    }
	}
	export class DecisionRequest {
	    version: number;
	    note: string;
	    force: boolean;
	
	    static createFrom(source: any = {}) {
	        return new DecisionRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.note = source["note"];
	        this.force = source["force"];
	    }
	}
	export class DeploymentList {
	    current: string;
	    deployments: cloud.Deployment[];
	
	    static createFrom(source: any = {}) {
	        return new DeploymentList(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.current = source["current"];
	        this.deployments = this.convertValues(source["deployments"], cloud.Deployment);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DeploymentRequest {
	    name: string;
	
	    static createFrom(source: any = {}) {
	        return new DeploymentRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	    }
	}
	export class WebviewStatus {
	    library: string;
	    display: boolean;
	    detail: string;
	
	    static createFrom(source: any = {}) {
	        return new WebviewStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.library = source["library"];
	        this.display = source["display"];
	        this.detail = source["detail"];
	    }
	}
	export class DoctorWorkspace {
	    open: boolean;
	    path: string;
	    schemaVersion: number;
	    supportedSchemaVersion: number;
	    health: string;
	    problems: string[];
	    error?: fault.Shaped;
	    lastGoodCopy?: string;
	    info?: store.Info;
	
	    static createFrom(source: any = {}) {
	        return new DoctorWorkspace(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.open = source["open"];
	        this.path = source["path"];
	        this.schemaVersion = source["schemaVersion"];
	        this.supportedSchemaVersion = source["supportedSchemaVersion"];
	        this.health = source["health"];
	        this.problems = source["problems"];
	        this.error = this.convertValues(source["error"], fault.Shaped);
	        this.lastGoodCopy = source["lastGoodCopy"];
	        this.info = this.convertValues(source["info"], store.Info);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DoctorReport {
	    ok: boolean;
	    version: string;
	    dataDir: string;
	    logFile: string;
	    workspace: DoctorWorkspace;
	    keychain: secrets.Status;
	    webview: WebviewStatus;
	    providers: provider.TestResult[];
	    aws: AWSStatus;
	
	    static createFrom(source: any = {}) {
	        return new DoctorReport(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.version = source["version"];
	        this.dataDir = source["dataDir"];
	        this.logFile = source["logFile"];
	        this.workspace = this.convertValues(source["workspace"], DoctorWorkspace);
	        this.keychain = this.convertValues(source["keychain"], secrets.Status);
	        this.webview = this.convertValues(source["webview"], WebviewStatus);
	        this.providers = this.convertValues(source["providers"], provider.TestResult);
	        this.aws = this.convertValues(source["aws"], AWSStatus);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class EditRequest {
	    chatId: string;
	    messageId: string;
	    text: string;
	
	    static createFrom(source: any = {}) {
	        return new EditRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.chatId = source["chatId"];
	        this.messageId = source["messageId"];
	        this.text = source["text"];
	    }
	}
	export class EditResult {
	    chat: chat.View;
	    message: chat.Message;
	
	    static createFrom(source: any = {}) {
	        return new EditResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.chat = this.convertValues(source["chat"], chat.View);
	        this.message = this.convertValues(source["message"], chat.Message);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class EvalAttachRequest {
	    versionArn: string;
	    runId: string;
	    config: number;
	
	    static createFrom(source: any = {}) {
	        return new EvalAttachRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.versionArn = source["versionArn"];
	        this.runId = source["runId"];
	        this.config = source["config"];
	    }
	}
	export class EvalExportRequest {
	    suite: string;
	    path: string;
	
	    static createFrom(source: any = {}) {
	        return new EvalExportRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.suite = source["suite"];
	        this.path = source["path"];
	    }
	}
	export class EvalFileRequest {
	    path: string;
	
	    static createFrom(source: any = {}) {
	        return new EvalFileRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	    }
	}
	export class EvalRunRef {
	    runId: string;
	
	    static createFrom(source: any = {}) {
	        return new EvalRunRef(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.runId = source["runId"];
	    }
	}
	export class EvalRunRequest {
	    opId?: string;
	    suite?: string;
	    path?: string;
	    configs: chat.Config[];
	    persona?: string;
	    judge?: chat.Config;
	    concurrency?: number;
	
	    static createFrom(source: any = {}) {
	        return new EvalRunRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.opId = source["opId"];
	        this.suite = source["suite"];
	        this.path = source["path"];
	        this.configs = this.convertValues(source["configs"], chat.Config);
	        this.persona = source["persona"];
	        this.judge = this.convertValues(source["judge"], chat.Config);
	        this.concurrency = source["concurrency"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class EvalRunView {
	    run: evals.Run;
	    results: evals.CaseResult[];
	
	    static createFrom(source: any = {}) {
	        return new EvalRunView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.run = this.convertValues(source["run"], evals.Run);
	        this.results = this.convertValues(source["results"], evals.CaseResult);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class EvalSaveRequest {
	    suite: evals.Suite;
	    note?: string;
	
	    static createFrom(source: any = {}) {
	        return new EvalSaveRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.suite = this.convertValues(source["suite"], evals.Suite);
	        this.note = source["note"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class EvalStarted {
	    opId: string;
	    runId: string;
	    suiteId: string;
	    cases: number;
	    configs: number;
	    embedder: string;
	
	    static createFrom(source: any = {}) {
	        return new EvalStarted(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.opId = source["opId"];
	        this.runId = source["runId"];
	        this.suiteId = source["suiteId"];
	        this.cases = source["cases"];
	        this.configs = source["configs"];
	        this.embedder = source["embedder"];
	    }
	}
	export class EvalSuiteRef {
	    suite: string;
	
	    static createFrom(source: any = {}) {
	        return new EvalSuiteRef(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.suite = source["suite"];
	    }
	}
	export class EvalVersionRef {
	    versionArn: string;
	
	    static createFrom(source: any = {}) {
	        return new EvalVersionRef(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.versionArn = source["versionArn"];
	    }
	}
	export class ExportCardRequest {
	    ref: string;
	    format: string;
	    png: boolean;
	    path: string;
	
	    static createFrom(source: any = {}) {
	        return new ExportCardRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ref = source["ref"];
	        this.format = source["format"];
	        this.png = source["png"];
	        this.path = source["path"];
	    }
	}
	export class ExportedCard {
	    path: string;
	    format: string;
	    png: boolean;
	    bytes: number;
	
	    static createFrom(source: any = {}) {
	        return new ExportedCard(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.format = source["format"];
	        this.png = source["png"];
	        this.bytes = source["bytes"];
	    }
	}
	export class FamilyOption {
	    id: string;
	    label: string;
	
	    static createFrom(source: any = {}) {
	        return new FamilyOption(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.label = source["label"];
	    }
	}
	export class FileFilter {
	    name: string;
	    pattern: string;
	
	    static createFrom(source: any = {}) {
	        return new FileFilter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.pattern = source["pattern"];
	    }
	}
	export class FileValidateRequest {
	    opId: string;
	    path: string;
	    format: string;
	    baseModel: string;
	    batchSize: number;
	    purpose: string;
	
	    static createFrom(source: any = {}) {
	        return new FileValidateRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.opId = source["opId"];
	        this.path = source["path"];
	        this.format = source["format"];
	        this.baseModel = source["baseModel"];
	        this.batchSize = source["batchSize"];
	        this.purpose = source["purpose"];
	    }
	}
	export class ImportCardRequest {
	    path: string;
	    onMatch?: string;
	
	    static createFrom(source: any = {}) {
	        return new ImportCardRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.onMatch = source["onMatch"];
	    }
	}
	export class ImportedCard {
	    version: persona.PersonaVersion;
	    format: string;
	    png: boolean;
	    warnings: string[];
	    unchanged?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ImportedCard(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = this.convertValues(source["version"], persona.PersonaVersion);
	        this.format = source["format"];
	        this.png = source["png"];
	        this.warnings = source["warnings"];
	        this.unchanged = source["unchanged"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LoreAddRequest {
	    opId: string;
	    paths: string[];
	    collection: string;
	    tags?: Record<string, string>;
	    chunking?: lore.ChunkOptions;
	
	    static createFrom(source: any = {}) {
	        return new LoreAddRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.opId = source["opId"];
	        this.paths = source["paths"];
	        this.collection = source["collection"];
	        this.tags = source["tags"];
	        this.chunking = this.convertValues(source["chunking"], lore.ChunkOptions);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LoreBookAttachRequest {
	    book: string;
	    persona: string;
	
	    static createFrom(source: any = {}) {
	        return new LoreBookAttachRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.book = source["book"];
	        this.persona = source["persona"];
	    }
	}
	export class LoreBookExportRequest {
	    book: string;
	    path: string;
	
	    static createFrom(source: any = {}) {
	        return new LoreBookExportRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.book = source["book"];
	        this.path = source["path"];
	    }
	}
	export class LoreBookRef {
	    book: string;
	
	    static createFrom(source: any = {}) {
	        return new LoreBookRef(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.book = source["book"];
	    }
	}
	export class LoreBookRequest {
	    path: string;
	
	    static createFrom(source: any = {}) {
	        return new LoreBookRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	    }
	}
	export class LoreChunkPage {
	    doc: lore.Document;
	    chunks: lore.Chunk[];
	    from: number;
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new LoreChunkPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.doc = this.convertValues(source["doc"], lore.Document);
	        this.chunks = this.convertValues(source["chunks"], lore.Chunk);
	        this.from = source["from"];
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LoreChunksRequest {
	    doc: string;
	    from: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new LoreChunksRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.doc = source["doc"];
	        this.from = source["from"];
	        this.limit = source["limit"];
	    }
	}
	export class LoreDocPage {
	    items: lore.Document[];
	    total: number;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new LoreDocPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], lore.Document);
	        this.total = source["total"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LoreDocRequest {
	    doc: string;
	
	    static createFrom(source: any = {}) {
	        return new LoreDocRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.doc = source["doc"];
	    }
	}
	export class LoreEmbedder {
	    v: number;
	    provider: string;
	    model: string;
	    dimensions?: number;
	
	    static createFrom(source: any = {}) {
	        return new LoreEmbedder(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.v = source["v"];
	        this.provider = source["provider"];
	        this.model = source["model"];
	        this.dimensions = source["dimensions"];
	    }
	}
	export class LoreEmbedderRequest {
	    opId: string;
	    embedder: LoreEmbedder;
	
	    static createFrom(source: any = {}) {
	        return new LoreEmbedderRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.opId = source["opId"];
	        this.embedder = this.convertValues(source["embedder"], LoreEmbedder);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LoreHydrated {
	    file: string;
	    hydrated: boolean;
	    chunks: number;
	
	    static createFrom(source: any = {}) {
	        return new LoreHydrated(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.file = source["file"];
	        this.hydrated = source["hydrated"];
	        this.chunks = source["chunks"];
	    }
	}
	export class LoreHydratedRequest {
	    file: string;
	
	    static createFrom(source: any = {}) {
	        return new LoreHydratedRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.file = source["file"];
	    }
	}
	export class LoreListRequest {
	    collections?: string[];
	    tags?: Record<string, string>;
	    query?: string;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new LoreListRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.collections = source["collections"];
	        this.tags = source["tags"];
	        this.query = source["query"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}
	export class LoreLorebookRequest {
	    personaRef: string;
	    messages: string[];
	
	    static createFrom(source: any = {}) {
	        return new LoreLorebookRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.personaRef = source["personaRef"];
	        this.messages = source["messages"];
	    }
	}
	export class LoreMetaRequest {
	    doc: string;
	    update: lore.MetaUpdate;
	
	    static createFrom(source: any = {}) {
	        return new LoreMetaRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.doc = source["doc"];
	        this.update = this.convertValues(source["update"], lore.MetaUpdate);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LoreModel {
	    dir: string;
	    downloadTo: string;
	
	    static createFrom(source: any = {}) {
	        return new LoreModel(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.dir = source["dir"];
	        this.downloadTo = source["downloadTo"];
	    }
	}
	export class LoreModelRequest {
	    opId: string;
	
	    static createFrom(source: any = {}) {
	        return new LoreModelRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.opId = source["opId"];
	    }
	}
	export class LorePauseRequest {
	    paused: boolean;
	
	    static createFrom(source: any = {}) {
	        return new LorePauseRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.paused = source["paused"];
	    }
	}
	export class LorePlanRequest {
	    source: cloud.LoreSource;
	    stage: string;
	
	    static createFrom(source: any = {}) {
	        return new LorePlanRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.source = this.convertValues(source["source"], cloud.LoreSource);
	        this.stage = source["stage"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LorePreviewRequest {
	    path?: string;
	    doc?: string;
	    chunking: lore.ChunkOptions;
	    limit?: number;
	
	    static createFrom(source: any = {}) {
	        return new LorePreviewRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.doc = source["doc"];
	        this.chunking = this.convertValues(source["chunking"], lore.ChunkOptions);
	        this.limit = source["limit"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LoreRAG {
	    v: number;
	    minRelevance: number;
	
	    static createFrom(source: any = {}) {
	        return new LoreRAG(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.v = source["v"];
	        this.minRelevance = source["minRelevance"];
	    }
	}
	export class LoreReindexRequest {
	    opId: string;
	    chunking?: lore.ChunkOptions;
	
	    static createFrom(source: any = {}) {
	        return new LoreReindexRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.opId = source["opId"];
	        this.chunking = this.convertValues(source["chunking"], lore.ChunkOptions);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LoreTeam {
	    v: number;
	    url: string;
	    index: string;
	    auth: string;
	    username?: string;
	    hasPassword: boolean;
	    passwordEnv?: string;
	    region?: string;
	    profile?: string;
	    service?: string;
	    engine?: string;
	
	    static createFrom(source: any = {}) {
	        return new LoreTeam(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.v = source["v"];
	        this.url = source["url"];
	        this.index = source["index"];
	        this.auth = source["auth"];
	        this.username = source["username"];
	        this.hasPassword = source["hasPassword"];
	        this.passwordEnv = source["passwordEnv"];
	        this.region = source["region"];
	        this.profile = source["profile"];
	        this.service = source["service"];
	        this.engine = source["engine"];
	    }
	}
	export class LoreTag {
	    key: string;
	    value: string;
	    docs: number;
	
	    static createFrom(source: any = {}) {
	        return new LoreTag(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.value = source["value"];
	        this.docs = source["docs"];
	    }
	}
	export class LoreStatus {
	    documents: number;
	    chunks: number;
	    collections: lore.Collection[];
	    tags: LoreTag[];
	    embedder: LoreEmbedder;
	    embedding: lore.EmbedProgress;
	    team?: LoreTeam;
	    strategies: lore.ChunkOptions[];
	
	    static createFrom(source: any = {}) {
	        return new LoreStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.documents = source["documents"];
	        this.chunks = source["chunks"];
	        this.collections = this.convertValues(source["collections"], lore.Collection);
	        this.tags = this.convertValues(source["tags"], LoreTag);
	        this.embedder = this.convertValues(source["embedder"], LoreEmbedder);
	        this.embedding = this.convertValues(source["embedding"], lore.EmbedProgress);
	        this.team = this.convertValues(source["team"], LoreTeam);
	        this.strategies = this.convertValues(source["strategies"], lore.ChunkOptions);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class LoreTeamConnectRequest {
	    team: LoreTeam;
	    password: string;
	
	    static createFrom(source: any = {}) {
	        return new LoreTeamConnectRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.team = this.convertValues(source["team"], LoreTeam);
	        this.password = source["password"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LoreTeamPushRequest {
	    opId: string;
	    docs: string[];
	    all: boolean;
	
	    static createFrom(source: any = {}) {
	        return new LoreTeamPushRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.opId = source["opId"];
	        this.docs = source["docs"];
	        this.all = source["all"];
	    }
	}
	export class LoreTeamSearchRequest {
	    text: string;
	    k: number;
	    hybrid: boolean;
	
	    static createFrom(source: any = {}) {
	        return new LoreTeamSearchRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.k = source["k"];
	        this.hybrid = source["hybrid"];
	    }
	}
	export class LoreTeamStatus {
	    team: LoreTeam;
	    index: lore.TeamStatus;
	    embedder?: string;
	    dimension?: number;
	    problem?: string;
	
	    static createFrom(source: any = {}) {
	        return new LoreTeamStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.team = this.convertValues(source["team"], LoreTeam);
	        this.index = this.convertValues(source["index"], lore.TeamStatus);
	        this.embedder = source["embedder"];
	        this.dimension = source["dimension"];
	        this.problem = source["problem"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LoreTurn {
	    v: number;
	    persona: string;
	    collections: string[];
	    allLore: boolean;
	    notes: string[];
	    trace: lore.TurnTrace;
	    passages: lore.Passage[];
	    entryCitations?: string[];
	
	    static createFrom(source: any = {}) {
	        return new LoreTurn(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.v = source["v"];
	        this.persona = source["persona"];
	        this.collections = source["collections"];
	        this.allLore = source["allLore"];
	        this.notes = source["notes"];
	        this.trace = this.convertValues(source["trace"], lore.TurnTrace);
	        this.passages = this.convertValues(source["passages"], lore.Passage);
	        this.entryCitations = source["entryCitations"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LoreTurnRequest {
	    chatId: string;
	    messageId: string;
	
	    static createFrom(source: any = {}) {
	        return new LoreTurnRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.chatId = source["chatId"];
	        this.messageId = source["messageId"];
	    }
	}
	export class LoreTurnView {
	    chatId: string;
	    messageId: string;
	    mode: string;
	    persona: string;
	    personaVersion: number;
	    line: string;
	    recorded: boolean;
	    turn: LoreTurn;
	    citations: chat.Citation[];
	
	    static createFrom(source: any = {}) {
	        return new LoreTurnView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.chatId = source["chatId"];
	        this.messageId = source["messageId"];
	        this.mode = source["mode"];
	        this.persona = source["persona"];
	        this.personaVersion = source["personaVersion"];
	        this.line = source["line"];
	        this.recorded = source["recorded"];
	        this.turn = this.convertValues(source["turn"], LoreTurn);
	        this.citations = this.convertValues(source["citations"], chat.Citation);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LoreWatchRequest {
	    opId: string;
	
	    static createFrom(source: any = {}) {
	        return new LoreWatchRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.opId = source["opId"];
	    }
	}
	export class LorebookRequest {
	    personaRef: string;
	
	    static createFrom(source: any = {}) {
	        return new LorebookRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.personaRef = source["personaRef"];
	    }
	}
	export class LorebookView {
	    personaId: string;
	    persona: string;
	    version: number;
	    lorebook: persona.Lorebook;
	
	    static createFrom(source: any = {}) {
	        return new LorebookView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.personaId = source["personaId"];
	        this.persona = source["persona"];
	        this.version = source["version"];
	        this.lorebook = this.convertValues(source["lorebook"], persona.Lorebook);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class ModelList {
	    deployment: string;
	    group: string;
	    versions: cloud.ModelVersion[];
	
	    static createFrom(source: any = {}) {
	        return new ModelList(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.deployment = source["deployment"];
	        this.group = source["group"];
	        this.versions = this.convertValues(source["versions"], cloud.ModelVersion);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PersonaDiff {
	    id: string;
	    from: persona.VersionInfo;
	    to: persona.VersionInfo;
	    fields: persona.FieldDiff[];
	
	    static createFrom(source: any = {}) {
	        return new PersonaDiff(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.from = this.convertValues(source["from"], persona.VersionInfo);
	        this.to = this.convertValues(source["to"], persona.VersionInfo);
	        this.fields = this.convertValues(source["fields"], persona.FieldDiff);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PersonaDiffRequest {
	    id: string;
	    from: number;
	    to: number;
	
	    static createFrom(source: any = {}) {
	        return new PersonaDiffRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.from = source["from"];
	        this.to = source["to"];
	    }
	}
	export class PersonaEdit {
	    personaId: string;
	    n: number;
	    author: string;
	    savedAt: string;
	    note?: string;
	    persona: persona.Persona;
	    extensions: string;
	    lorebookEntries: number;
	    cardFormat?: string;
	
	    static createFrom(source: any = {}) {
	        return new PersonaEdit(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.personaId = source["personaId"];
	        this.n = source["n"];
	        this.author = source["author"];
	        this.savedAt = source["savedAt"];
	        this.note = source["note"];
	        this.persona = this.convertValues(source["persona"], persona.Persona);
	        this.extensions = source["extensions"];
	        this.lorebookEntries = source["lorebookEntries"];
	        this.cardFormat = source["cardFormat"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PersonaRef {
	    ref: string;
	
	    static createFrom(source: any = {}) {
	        return new PersonaRef(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ref = source["ref"];
	    }
	}
	export class PersonaVersionRequest {
	    id: string;
	    n: number;
	
	    static createFrom(source: any = {}) {
	        return new PersonaVersionRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.n = source["n"];
	    }
	}
	export class PickRequest {
	    mode: string;
	    title?: string;
	    filters?: FileFilter[];
	    current?: string;
	    suggestedName?: string;
	
	    static createFrom(source: any = {}) {
	        return new PickRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.mode = source["mode"];
	        this.title = source["title"];
	        this.filters = this.convertValues(source["filters"], FileFilter);
	        this.current = source["current"];
	        this.suggestedName = source["suggestedName"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Picked {
	    paths: string[];
	
	    static createFrom(source: any = {}) {
	        return new Picked(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.paths = source["paths"];
	    }
	}
	export class PlanRequest {
	    id: string;
	
	    static createFrom(source: any = {}) {
	        return new PlanRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	    }
	}
	export class PreviewRequest {
	    persona: persona.Persona;
	    family: string;
	    mode: string;
	    message?: string;
	    userName?: string;
	
	    static createFrom(source: any = {}) {
	        return new PreviewRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.persona = this.convertValues(source["persona"], persona.Persona);
	        this.family = source["family"];
	        this.mode = source["mode"];
	        this.message = source["message"];
	        this.userName = source["userName"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ProviderModelsRequest {
	    name?: string;
	    baseUrl?: string;
	    apiKey?: string;
	
	    static createFrom(source: any = {}) {
	        return new ProviderModelsRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.baseUrl = source["baseUrl"];
	        this.apiKey = source["apiKey"];
	    }
	}
	export class ProviderNameRequest {
	    name: string;
	
	    static createFrom(source: any = {}) {
	        return new ProviderNameRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	    }
	}
	export class PushRequest {
	    opId: string;
	    planId: string;
	    force: boolean;
	
	    static createFrom(source: any = {}) {
	        return new PushRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.opId = source["opId"];
	        this.planId = source["planId"];
	        this.force = source["force"];
	    }
	}
	export class RecordRequest {
	    datasetId: string;
	    version: number;
	    id: string;
	
	    static createFrom(source: any = {}) {
	        return new RecordRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.datasetId = source["datasetId"];
	        this.version = source["version"];
	        this.id = source["id"];
	    }
	}
	export class RegenerateRequest {
	    opId: string;
	    chatId: string;
	    messageId: string;
	    config: chat.Config;
	    timeoutSeconds?: number;
	
	    static createFrom(source: any = {}) {
	        return new RegenerateRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.opId = source["opId"];
	        this.chatId = source["chatId"];
	        this.messageId = source["messageId"];
	        this.config = this.convertValues(source["config"], chat.Config);
	        this.timeoutSeconds = source["timeoutSeconds"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RenderPersonaRequest {
	    ref: string;
	    family: string;
	    mode: string;
	    message?: string;
	    userName?: string;
	    model?: string;
	
	    static createFrom(source: any = {}) {
	        return new RenderPersonaRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ref = source["ref"];
	        this.family = source["family"];
	        this.mode = source["mode"];
	        this.message = source["message"];
	        this.userName = source["userName"];
	        this.model = source["model"];
	    }
	}
	export class RenderedPrompt {
	    family: string;
	    mode: string;
	    templateId: string;
	    system: string;
	    messages: persona.Message[];
	    prompt?: string;
	    body: string;
	    tokens: number;
	
	    static createFrom(source: any = {}) {
	        return new RenderedPrompt(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.family = source["family"];
	        this.mode = source["mode"];
	        this.templateId = source["templateId"];
	        this.system = source["system"];
	        this.messages = this.convertValues(source["messages"], persona.Message);
	        this.prompt = source["prompt"];
	        this.body = source["body"];
	        this.tokens = source["tokens"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ResumeRequest {
	    opId: string;
	    uploadId: string;
	
	    static createFrom(source: any = {}) {
	        return new ResumeRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.opId = source["opId"];
	        this.uploadId = source["uploadId"];
	    }
	}
	export class RunRef {
	    id: string;
	
	    static createFrom(source: any = {}) {
	        return new RunRef(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	    }
	}
	export class SaveAsNewRequest {
	    id: string;
	    n: number;
	    name: string;
	
	    static createFrom(source: any = {}) {
	        return new SaveAsNewRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.n = source["n"];
	        this.name = source["name"];
	    }
	}
	export class SaveLorebookRequest {
	    personaRef: string;
	    lorebook: persona.Lorebook;
	
	    static createFrom(source: any = {}) {
	        return new SaveLorebookRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.personaRef = source["personaRef"];
	        this.lorebook = this.convertValues(source["lorebook"], persona.Lorebook);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SavePersonaRequest {
	    persona: persona.Persona;
	    form?: boolean;
	    extensions?: string;
	
	    static createFrom(source: any = {}) {
	        return new SavePersonaRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.persona = this.convertValues(source["persona"], persona.Persona);
	        this.form = source["form"];
	        this.extensions = source["extensions"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SavedTrainingData {
	    added: AddedRecord;
	    dropped?: string;
	
	    static createFrom(source: any = {}) {
	        return new SavedTrainingData(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.added = this.convertValues(source["added"], AddedRecord);
	        this.dropped = source["dropped"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SelectSwipeRequest {
	    chatId: string;
	    messageId: string;
	
	    static createFrom(source: any = {}) {
	        return new SelectSwipeRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.chatId = source["chatId"];
	        this.messageId = source["messageId"];
	    }
	}
	export class SendRequest {
	    opId: string;
	    chatId: string;
	    message: string;
	    config: chat.Config;
	    timeoutSeconds?: number;
	
	    static createFrom(source: any = {}) {
	        return new SendRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.opId = source["opId"];
	        this.chatId = source["chatId"];
	        this.message = source["message"];
	        this.config = this.convertValues(source["config"], chat.Config);
	        this.timeoutSeconds = source["timeoutSeconds"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Settings {
	    v: number;
	    author: string;
	    theme: string;
	    lastFolder?: string;
	
	    static createFrom(source: any = {}) {
	        return new Settings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.v = source["v"];
	        this.author = source["author"];
	        this.theme = source["theme"];
	        this.lastFolder = source["lastFolder"];
	    }
	}
	export class TemplateRef {
	    id: string;
	
	    static createFrom(source: any = {}) {
	        return new TemplateRef(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	    }
	}
	export class TemplateRequest {
	    template: persona.Template;
	
	    static createFrom(source: any = {}) {
	        return new TemplateRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.template = this.convertValues(source["template"], persona.Template);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TemplateVersionRequest {
	    id: string;
	    n: number;
	
	    static createFrom(source: any = {}) {
	        return new TemplateVersionRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.n = source["n"];
	    }
	}
	export class TrainingDataRequest {
	    chatId: string;
	    messageId: string;
	    correctedReply: string;
	    datasetId: string;
	    tags: string[];
	
	    static createFrom(source: any = {}) {
	        return new TrainingDataRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.chatId = source["chatId"];
	        this.messageId = source["messageId"];
	        this.correctedReply = source["correctedReply"];
	        this.datasetId = source["datasetId"];
	        this.tags = source["tags"];
	    }
	}
	export class VerdictRequest {
	    runId: string;
	    winner: number;
	    note: string;
	
	    static createFrom(source: any = {}) {
	        return new VerdictRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.runId = source["runId"];
	        this.winner = source["winner"];
	        this.note = source["note"];
	    }
	}
	export class VersionRequest {
	    version: number;
	
	    static createFrom(source: any = {}) {
	        return new VersionRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	    }
	}
	
	export class WorkspaceStatus {
	    open: boolean;
	    dataDir: string;
	    version: string;
	    error?: fault.Shaped;
	    lastGoodCopy?: string;
	    info?: store.Info;
	
	    static createFrom(source: any = {}) {
	        return new WorkspaceStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.open = source["open"];
	        this.dataDir = source["dataDir"];
	        this.version = source["version"];
	        this.error = this.convertValues(source["error"], fault.Shaped);
	        this.lastGoodCopy = source["lastGoodCopy"];
	        this.info = this.convertValues(source["info"], store.Info);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace batch {
	
	export class ExportResult {
	    files: string[];
	    lines: number;
	    reviewed: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ExportResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.files = source["files"];
	        this.lines = source["lines"];
	        this.reviewed = source["reviewed"];
	    }
	}
	export class Flag {
	    kind: string;
	    detail: string;
	
	    static createFrom(source: any = {}) {
	        return new Flag(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.detail = source["detail"];
	    }
	}
	export class Line {
	    v: number;
	    runId: string;
	    id: string;
	    order: number;
	    scene: string;
	    persona: string;
	    beat: string;
	    variant: number;
	    direction?: string;
	    player?: string;
	    status: string;
	    text: string;
	    generated?: string;
	    edited?: boolean;
	    review?: string;
	    note?: string;
	    flags?: Flag[];
	    provider?: string;
	    model?: string;
	    mode?: string;
	    inputTokens?: number;
	    outputTokens?: number;
	    costUsd?: number;
	    citations?: string[];
	    attempts?: number;
	    generations?: number;
	    error?: string;
	    errorCode?: string;
	    updatedAt: string;
	
	    static createFrom(source: any = {}) {
	        return new Line(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.v = source["v"];
	        this.runId = source["runId"];
	        this.id = source["id"];
	        this.order = source["order"];
	        this.scene = source["scene"];
	        this.persona = source["persona"];
	        this.beat = source["beat"];
	        this.variant = source["variant"];
	        this.direction = source["direction"];
	        this.player = source["player"];
	        this.status = source["status"];
	        this.text = source["text"];
	        this.generated = source["generated"];
	        this.edited = source["edited"];
	        this.review = source["review"];
	        this.note = source["note"];
	        this.flags = this.convertValues(source["flags"], Flag);
	        this.provider = source["provider"];
	        this.model = source["model"];
	        this.mode = source["mode"];
	        this.inputTokens = source["inputTokens"];
	        this.outputTokens = source["outputTokens"];
	        this.costUsd = source["costUsd"];
	        this.citations = source["citations"];
	        this.attempts = source["attempts"];
	        this.generations = source["generations"];
	        this.error = source["error"];
	        this.errorCode = source["errorCode"];
	        this.updatedAt = source["updatedAt"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Status {
	    runId: string;
	    specFile: string;
	    status: string;
	    total: number;
	    done: number;
	    failed: number;
	    pending: number;
	    accepted: number;
	    rejected: number;
	    flagged: number;
	    inputTokens: number;
	    outputTokens: number;
	    costUsd?: number;
	    createdAt: string;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.runId = source["runId"];
	        this.specFile = source["specFile"];
	        this.status = source["status"];
	        this.total = source["total"];
	        this.done = source["done"];
	        this.failed = source["failed"];
	        this.pending = source["pending"];
	        this.accepted = source["accepted"];
	        this.rejected = source["rejected"];
	        this.flagged = source["flagged"];
	        this.inputTokens = source["inputTokens"];
	        this.outputTokens = source["outputTokens"];
	        this.costUsd = source["costUsd"];
	        this.createdAt = source["createdAt"];
	    }
	}

}

export namespace chat {
	
	export class Config {
	    provider: string;
	    model?: string;
	    mode: string;
	
	    static createFrom(source: any = {}) {
	        return new Config(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.provider = source["provider"];
	        this.model = source["model"];
	        this.mode = source["mode"];
	    }
	}
	export class Chat {
	    v: number;
	    id: string;
	    personaId: string;
	    personaName: string;
	    title: string;
	    config: Config;
	    active: Record<string, string>;
	    compareRunId?: string;
	    nextSeq: number;
	    messages: number;
	    createdAt: string;
	    updatedAt: string;
	
	    static createFrom(source: any = {}) {
	        return new Chat(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.v = source["v"];
	        this.id = source["id"];
	        this.personaId = source["personaId"];
	        this.personaName = source["personaName"];
	        this.title = source["title"];
	        this.config = this.convertValues(source["config"], Config);
	        this.active = source["active"];
	        this.compareRunId = source["compareRunId"];
	        this.nextSeq = source["nextSeq"];
	        this.messages = source["messages"];
	        this.createdAt = source["createdAt"];
	        this.updatedAt = source["updatedAt"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Citation {
	    id: string;
	    collection?: string;
	    doc: string;
	    chunk: number;
	    score: number;
	    text: string;
	    chunkId?: string;
	    start?: number;
	    end?: number;
	
	    static createFrom(source: any = {}) {
	        return new Citation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.collection = source["collection"];
	        this.doc = source["doc"];
	        this.chunk = source["chunk"];
	        this.score = source["score"];
	        this.text = source["text"];
	        this.chunkId = source["chunkId"];
	        this.start = source["start"];
	        this.end = source["end"];
	    }
	}
	export class Usage {
	    inputTokens: number;
	    outputTokens: number;
	    estimated?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Usage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.inputTokens = source["inputTokens"];
	        this.outputTokens = source["outputTokens"];
	        this.estimated = source["estimated"];
	    }
	}
	export class Message {
	    v: number;
	    id: string;
	    parentId: string;
	    role: string;
	    text: string;
	    created: string;
	    greeting?: boolean;
	    editedFrom?: string;
	    provider?: string;
	    providerKind?: string;
	    model?: string;
	    mode?: string;
	    family?: string;
	    templateId?: string;
	    templateVersion?: number;
	    personaVersion?: number;
	    firstTokenMs?: number;
	    totalMs?: number;
	    attempts?: number;
	    stopReason?: string;
	    usage?: Usage;
	    costUsd?: number;
	    cut?: boolean;
	    stopped?: boolean;
	    error?: string;
	    citations?: Citation[];
	    loreNote?: string;
	    notice?: string;
	
	    static createFrom(source: any = {}) {
	        return new Message(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.v = source["v"];
	        this.id = source["id"];
	        this.parentId = source["parentId"];
	        this.role = source["role"];
	        this.text = source["text"];
	        this.created = source["created"];
	        this.greeting = source["greeting"];
	        this.editedFrom = source["editedFrom"];
	        this.provider = source["provider"];
	        this.providerKind = source["providerKind"];
	        this.model = source["model"];
	        this.mode = source["mode"];
	        this.family = source["family"];
	        this.templateId = source["templateId"];
	        this.templateVersion = source["templateVersion"];
	        this.personaVersion = source["personaVersion"];
	        this.firstTokenMs = source["firstTokenMs"];
	        this.totalMs = source["totalMs"];
	        this.attempts = source["attempts"];
	        this.stopReason = source["stopReason"];
	        this.usage = this.convertValues(source["usage"], Usage);
	        this.costUsd = source["costUsd"];
	        this.cut = source["cut"];
	        this.stopped = source["stopped"];
	        this.error = source["error"];
	        this.citations = this.convertValues(source["citations"], Citation);
	        this.loreNote = source["loreNote"];
	        this.notice = source["notice"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Column {
	    config: Config;
	    chatId: string;
	    userMessageId: string;
	    answerId?: string;
	    answer?: Message;
	    error?: string;
	    errorCode?: string;
	
	    static createFrom(source: any = {}) {
	        return new Column(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.config = this.convertValues(source["config"], Config);
	        this.chatId = source["chatId"];
	        this.userMessageId = source["userMessageId"];
	        this.answerId = source["answerId"];
	        this.answer = this.convertValues(source["answer"], Message);
	        this.error = source["error"];
	        this.errorCode = source["errorCode"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class ListOptions {
	    personaId?: string;
	    withCompare?: boolean;
	    offset?: number;
	    limit?: number;
	
	    static createFrom(source: any = {}) {
	        return new ListOptions(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.personaId = source["personaId"];
	        this.withCompare = source["withCompare"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}
	
	export class Summary {
	    id: string;
	    personaId: string;
	    personaName: string;
	    title: string;
	    config: Config;
	    compareRunId?: string;
	    messages: number;
	    createdAt: string;
	    updatedAt: string;
	    lastLine?: string;
	    lastRole?: string;
	
	    static createFrom(source: any = {}) {
	        return new Summary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.personaId = source["personaId"];
	        this.personaName = source["personaName"];
	        this.title = source["title"];
	        this.config = this.convertValues(source["config"], Config);
	        this.compareRunId = source["compareRunId"];
	        this.messages = source["messages"];
	        this.createdAt = source["createdAt"];
	        this.updatedAt = source["updatedAt"];
	        this.lastLine = source["lastLine"];
	        this.lastRole = source["lastRole"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Page {
	    items: Summary[];
	    total: number;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new Page(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], Summary);
	        this.total = source["total"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Verdict {
	    winner: number;
	    note: string;
	    author: string;
	    at: string;
	
	    static createFrom(source: any = {}) {
	        return new Verdict(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.winner = source["winner"];
	        this.note = source["note"];
	        this.author = source["author"];
	        this.at = source["at"];
	    }
	}
	export class Run {
	    v: number;
	    id: string;
	    personaId: string;
	    personaName: string;
	    message: string;
	    columns: Column[];
	    verdict?: Verdict;
	    createdAt: string;
	    updatedAt: string;
	
	    static createFrom(source: any = {}) {
	        return new Run(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.v = source["v"];
	        this.id = source["id"];
	        this.personaId = source["personaId"];
	        this.personaName = source["personaName"];
	        this.message = source["message"];
	        this.columns = this.convertValues(source["columns"], Column);
	        this.verdict = this.convertValues(source["verdict"], Verdict);
	        this.createdAt = source["createdAt"];
	        this.updatedAt = source["updatedAt"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RunListOptions {
	    judged?: boolean;
	    personaId?: string;
	    offset?: number;
	    limit?: number;
	
	    static createFrom(source: any = {}) {
	        return new RunListOptions(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.judged = source["judged"];
	        this.personaId = source["personaId"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}
	export class RunPage {
	    items: Run[];
	    total: number;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new RunPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], Run);
	        this.total = source["total"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	export class View {
	    chat: Chat;
	    messages: Message[];
	    path: string[];
	
	    static createFrom(source: any = {}) {
	        return new View(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.chat = this.convertValues(source["chat"], Chat);
	        this.messages = this.convertValues(source["messages"], Message);
	        this.path = source["path"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace cloud {
	
	export class LossPoint {
	    step: number;
	    epoch: number;
	    loss: number;
	    perplexity?: number;
	
	    static createFrom(source: any = {}) {
	        return new LossPoint(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.step = source["step"];
	        this.epoch = source["epoch"];
	        this.loss = source["loss"];
	        this.perplexity = source["perplexity"];
	    }
	}
	export class CustomizationJob {
	    name: string;
	    arn: string;
	    status: string;
	    failureMessage?: string;
	    hyperParameters: Record<string, string>;
	    output?: string;
	    training: LossPoint[];
	    validation: LossPoint[];
	
	    static createFrom(source: any = {}) {
	        return new CustomizationJob(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.arn = source["arn"];
	        this.status = source["status"];
	        this.failureMessage = source["failureMessage"];
	        this.hyperParameters = source["hyperParameters"];
	        this.output = source["output"];
	        this.training = this.convertValues(source["training"], LossPoint);
	        this.validation = this.convertValues(source["validation"], LossPoint);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DatasetSource {
	    datasetId?: string;
	    version?: number;
	    file?: string;
	    baseModel?: string;
	
	    static createFrom(source: any = {}) {
	        return new DatasetSource(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.datasetId = source["datasetId"];
	        this.version = source["version"];
	        this.file = source["file"];
	        this.baseModel = source["baseModel"];
	    }
	}
	export class Decision {
	    v: number;
	    id: string;
	    time: string;
	    caller: string;
	    deployment: string;
	    group: string;
	    version: number;
	    versionArn: string;
	    action: string;
	    note: string;
	    previousStatus: string;
	    newStatus: string;
	    forced?: boolean;
	    error?: string;
	
	    static createFrom(source: any = {}) {
	        return new Decision(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.v = source["v"];
	        this.id = source["id"];
	        this.time = source["time"];
	        this.caller = source["caller"];
	        this.deployment = source["deployment"];
	        this.group = source["group"];
	        this.version = source["version"];
	        this.versionArn = source["versionArn"];
	        this.action = source["action"];
	        this.note = source["note"];
	        this.previousStatus = source["previousStatus"];
	        this.newStatus = source["newStatus"];
	        this.forced = source["forced"];
	        this.error = source["error"];
	    }
	}
	export class Deployment {
	    v: number;
	    name: string;
	    workload: string;
	    stage: string;
	    region: string;
	    profile?: string;
	    account?: string;
	    created: string;
	    updated: string;
	
	    static createFrom(source: any = {}) {
	        return new Deployment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.v = source["v"];
	        this.name = source["name"];
	        this.workload = source["workload"];
	        this.stage = source["stage"];
	        this.region = source["region"];
	        this.profile = source["profile"];
	        this.account = source["account"];
	        this.created = source["created"];
	        this.updated = source["updated"];
	    }
	}
	export class PipelineStage {
	    name: string;
	    status?: string;
	    executionId?: string;
	    changed?: string;
	
	    static createFrom(source: any = {}) {
	        return new PipelineStage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.status = source["status"];
	        this.executionId = source["executionId"];
	        this.changed = source["changed"];
	    }
	}
	export class DeploymentState {
	    customModelName: string;
	    pipeline: string;
	    stages: PipelineStage[];
	    running: boolean;
	    notes?: string[];
	
	    static createFrom(source: any = {}) {
	        return new DeploymentState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.customModelName = source["customModelName"];
	        this.pipeline = source["pipeline"];
	        this.stages = this.convertValues(source["stages"], PipelineStage);
	        this.running = source["running"];
	        this.notes = source["notes"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Evaluation {
	    loss: number;
	    perplexity: number;
	    source: string;
	
	    static createFrom(source: any = {}) {
	        return new Evaluation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.loss = source["loss"];
	        this.perplexity = source["perplexity"];
	        this.source = source["source"];
	    }
	}
	export class Finding {
	    what: string;
	    where: string;
	    value?: string;
	    found: boolean;
	    detail?: string;
	
	    static createFrom(source: any = {}) {
	        return new Finding(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.what = source["what"];
	        this.where = source["where"];
	        this.value = source["value"];
	        this.found = source["found"];
	        this.detail = source["detail"];
	    }
	}
	export class Identity {
	    account: string;
	    arn: string;
	    userId: string;
	    region: string;
	
	    static createFrom(source: any = {}) {
	        return new Identity(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.account = source["account"];
	        this.arn = source["arn"];
	        this.userId = source["userId"];
	        this.region = source["region"];
	    }
	}
	export class LoreSource {
	    collection?: string;
	    docs?: string[];
	
	    static createFrom(source: any = {}) {
	        return new LoreSource(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.collection = source["collection"];
	        this.docs = source["docs"];
	    }
	}
	
	export class SuiteResult {
	    suite: string;
	    passed: number;
	    total: number;
	    rate: number;
	    threshold?: number;
	    ready: boolean;
	    runAt?: string;
	    detail?: string;
	
	    static createFrom(source: any = {}) {
	        return new SuiteResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.suite = source["suite"];
	        this.passed = source["passed"];
	        this.total = source["total"];
	        this.rate = source["rate"];
	        this.threshold = source["threshold"];
	        this.ready = source["ready"];
	        this.runAt = source["runAt"];
	        this.detail = source["detail"];
	    }
	}
	export class Readiness {
	    ready: boolean;
	    reason?: string;
	    suites: SuiteResult[];
	
	    static createFrom(source: any = {}) {
	        return new Readiness(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ready = source["ready"];
	        this.reason = source["reason"];
	        this.suites = this.convertValues(source["suites"], SuiteResult);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Throughput {
	    name: string;
	    arn: string;
	    status: string;
	    modelUnits: number;
	
	    static createFrom(source: any = {}) {
	        return new Throughput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.arn = source["arn"];
	        this.status = source["status"];
	        this.modelUnits = source["modelUnits"];
	    }
	}
	export class VersionMetadata {
	    modelName?: string;
	    modelArn?: string;
	    jobName?: string;
	    jobArn?: string;
	    baseModelArn?: string;
	    outputData?: string;
	
	    static createFrom(source: any = {}) {
	        return new VersionMetadata(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.modelName = source["modelName"];
	        this.modelArn = source["modelArn"];
	        this.jobName = source["jobName"];
	        this.jobArn = source["jobArn"];
	        this.baseModelArn = source["baseModelArn"];
	        this.outputData = source["outputData"];
	    }
	}
	export class ModelVersion {
	    version: number;
	    arn: string;
	    status: string;
	    created: string;
	    modified?: string;
	    decidedBy?: string;
	    note?: string;
	    metadata: VersionMetadata;
	    evaluation?: Evaluation;
	    job?: CustomizationJob;
	    throughputs: Throughput[];
	    gaps?: string[];
	    readiness?: Readiness;
	
	    static createFrom(source: any = {}) {
	        return new ModelVersion(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.arn = source["arn"];
	        this.status = source["status"];
	        this.created = source["created"];
	        this.modified = source["modified"];
	        this.decidedBy = source["decidedBy"];
	        this.note = source["note"];
	        this.metadata = this.convertValues(source["metadata"], VersionMetadata);
	        this.evaluation = this.convertValues(source["evaluation"], Evaluation);
	        this.job = this.convertValues(source["job"], CustomizationJob);
	        this.throughputs = this.convertValues(source["throughputs"], Throughput);
	        this.gaps = source["gaps"];
	        this.readiness = this.convertValues(source["readiness"], Readiness);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PartDone {
	    n: number;
	    etag: string;
	    checksumSha256: string;
	
	    static createFrom(source: any = {}) {
	        return new PartDone(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.n = source["n"];
	        this.etag = source["etag"];
	        this.checksumSha256 = source["checksumSha256"];
	    }
	}
	
	export class Upload {
	    v: number;
	    id: string;
	    status: string;
	    kind: string;
	    what: string;
	    deployment: string;
	    workload: string;
	    stage?: string;
	    region: string;
	    profile?: string;
	    account: string;
	    bucket: string;
	    key: string;
	    trigger: string;
	    contentType: string;
	    size: number;
	    sha256: string;
	    file?: string;
	    partSize?: number;
	    uploadId?: string;
	    parts?: PartDone[];
	    checksum?: string;
	    etag?: string;
	    versionId?: string;
	    by: string;
	    started: string;
	    finished?: string;
	    forced?: boolean;
	    run?: string;
	
	    static createFrom(source: any = {}) {
	        return new Upload(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.v = source["v"];
	        this.id = source["id"];
	        this.status = source["status"];
	        this.kind = source["kind"];
	        this.what = source["what"];
	        this.deployment = source["deployment"];
	        this.workload = source["workload"];
	        this.stage = source["stage"];
	        this.region = source["region"];
	        this.profile = source["profile"];
	        this.account = source["account"];
	        this.bucket = source["bucket"];
	        this.key = source["key"];
	        this.trigger = source["trigger"];
	        this.contentType = source["contentType"];
	        this.size = source["size"];
	        this.sha256 = source["sha256"];
	        this.file = source["file"];
	        this.partSize = source["partSize"];
	        this.uploadId = source["uploadId"];
	        this.parts = this.convertValues(source["parts"], PartDone);
	        this.checksum = source["checksum"];
	        this.etag = source["etag"];
	        this.versionId = source["versionId"];
	        this.by = source["by"];
	        this.started = source["started"];
	        this.finished = source["finished"];
	        this.forced = source["forced"];
	        this.run = source["run"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Plan {
	    upload: Upload;
	    earlier?: Upload;
	    replaces?: string;
	
	    static createFrom(source: any = {}) {
	        return new Plan(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.upload = this.convertValues(source["upload"], Upload);
	        this.earlier = this.convertValues(source["earlier"], Upload);
	        this.replaces = source["replaces"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class TuningJob {
	    name: string;
	    arn: string;
	    status: string;
	    customModel?: string;
	    failureMessage?: string;
	
	    static createFrom(source: any = {}) {
	        return new TuningJob(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.arn = source["arn"];
	        this.status = source["status"];
	        this.customModel = source["customModel"];
	        this.failureMessage = source["failureMessage"];
	    }
	}
	export class RunStep {
	    name: string;
	    status: string;
	    started?: string;
	    ended?: string;
	    failureReason?: string;
	
	    static createFrom(source: any = {}) {
	        return new RunStep(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.status = source["status"];
	        this.started = source["started"];
	        this.ended = source["ended"];
	        this.failureReason = source["failureReason"];
	    }
	}
	export class Run {
	    kind: string;
	    name: string;
	    arn: string;
	    status: string;
	    running: boolean;
	    started: string;
	    ended?: string;
	    failureReason?: string;
	    hint?: string;
	    uploadId?: string;
	    steps?: RunStep[];
	    job?: TuningJob;
	
	    static createFrom(source: any = {}) {
	        return new Run(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.name = source["name"];
	        this.arn = source["arn"];
	        this.status = source["status"];
	        this.running = source["running"];
	        this.started = source["started"];
	        this.ended = source["ended"];
	        this.failureReason = source["failureReason"];
	        this.hint = source["hint"];
	        this.uploadId = source["uploadId"];
	        this.steps = this.convertValues(source["steps"], RunStep);
	        this.job = this.convertValues(source["job"], TuningJob);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Runs {
	    runs: Run[];
	    notes?: string[];
	
	    static createFrom(source: any = {}) {
	        return new Runs(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.runs = this.convertValues(source["runs"], Run);
	        this.notes = source["notes"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Status {
	    deployment: Deployment;
	    identity: Identity;
	    loreBucket?: string;
	    tuningBucket?: string;
	    textUrl?: string;
	    ragUrl?: string;
	    customModelName?: string;
	    s3Endpoint?: string;
	    pathStyle: boolean;
	    findings: Finding[];
	    missing: number;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.deployment = this.convertValues(source["deployment"], Deployment);
	        this.identity = this.convertValues(source["identity"], Identity);
	        this.loreBucket = source["loreBucket"];
	        this.tuningBucket = source["tuningBucket"];
	        this.textUrl = source["textUrl"];
	        this.ragUrl = source["ragUrl"];
	        this.customModelName = source["customModelName"];
	        this.s3Endpoint = source["s3Endpoint"];
	        this.pathStyle = source["pathStyle"];
	        this.findings = this.convertValues(source["findings"], Finding);
	        this.missing = source["missing"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	

}

export namespace dataset {
	
	export class Message {
	    role: string;
	    content: string;
	
	    static createFrom(source: any = {}) {
	        return new Message(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.role = source["role"];
	        this.content = source["content"];
	    }
	}
	export class Record {
	    format: string;
	    system: string;
	    messages: Message[];
	    schemaVersion?: string;
	
	    static createFrom(source: any = {}) {
	        return new Record(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.format = source["format"];
	        this.system = source["system"];
	        this.messages = this.convertValues(source["messages"], Message);
	        this.schemaVersion = source["schemaVersion"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AddRecordRequest {
	    datasetId: string;
	    baseVersion: number;
	    record: Record;
	    tags: string[];
	    source: string;
	
	    static createFrom(source: any = {}) {
	        return new AddRecordRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.datasetId = source["datasetId"];
	        this.baseVersion = source["baseVersion"];
	        this.record = this.convertValues(source["record"], Record);
	        this.tags = source["tags"];
	        this.source = source["source"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BatchTokens {
	    maxBatch: number;
	    tokens: number;
	
	    static createFrom(source: any = {}) {
	        return new BatchTokens(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.maxBatch = source["maxBatch"];
	        this.tokens = source["tokens"];
	    }
	}
	export class Limits {
	    minTrainingRecords: number;
	    maxTrainingRecords: number;
	    maxValidationRecords: number;
	    minTotalRecords: number;
	    maxTotalRecords: number;
	    maxRecordTokens: number;
	    maxInputTokens: number;
	    maxOutputTokens: number;
	    batchTokens: BatchTokens[];
	    maxTrainingBytes: number;
	    maxValidationBytes: number;
	    reservedWords: string[];
	
	    static createFrom(source: any = {}) {
	        return new Limits(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.minTrainingRecords = source["minTrainingRecords"];
	        this.maxTrainingRecords = source["maxTrainingRecords"];
	        this.maxValidationRecords = source["maxValidationRecords"];
	        this.minTotalRecords = source["minTotalRecords"];
	        this.maxTotalRecords = source["maxTotalRecords"];
	        this.maxRecordTokens = source["maxRecordTokens"];
	        this.maxInputTokens = source["maxInputTokens"];
	        this.maxOutputTokens = source["maxOutputTokens"];
	        this.batchTokens = this.convertValues(source["batchTokens"], BatchTokens);
	        this.maxTrainingBytes = source["maxTrainingBytes"];
	        this.maxValidationBytes = source["maxValidationBytes"];
	        this.reservedWords = source["reservedWords"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BaseModel {
	    id: string;
	    name: string;
	    formats: string[];
	    limits: Limits;
	
	    static createFrom(source: any = {}) {
	        return new BaseModel(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.formats = source["formats"];
	        this.limits = this.convertValues(source["limits"], Limits);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class CSVColumns {
	    system: string;
	    prompt: string;
	    completion: string;
	    tags: string;
	
	    static createFrom(source: any = {}) {
	        return new CSVColumns(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.system = source["system"];
	        this.prompt = source["prompt"];
	        this.completion = source["completion"];
	        this.tags = source["tags"];
	    }
	}
	export class ChatExample {
	    datasetId: string;
	    baseVersion: number;
	    system: string;
	    messages: Message[];
	    reply: string;
	    tags: string[];
	    source: string;
	
	    static createFrom(source: any = {}) {
	        return new ChatExample(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.datasetId = source["datasetId"];
	        this.baseVersion = source["baseVersion"];
	        this.system = source["system"];
	        this.messages = this.convertValues(source["messages"], Message);
	        this.reply = source["reply"];
	        this.tags = source["tags"];
	        this.source = source["source"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CreateDatasetRequest {
	    name: string;
	    baseModel: string;
	    format: string;
	
	    static createFrom(source: any = {}) {
	        return new CreateDatasetRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.baseModel = source["baseModel"];
	        this.format = source["format"];
	    }
	}
	export class Dataset {
	    id: string;
	    name: string;
	    baseModel: string;
	    format: string;
	    head: number;
	    records: number;
	    createdAt: string;
	    updatedAt: string;
	
	    static createFrom(source: any = {}) {
	        return new Dataset(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.baseModel = source["baseModel"];
	        this.format = source["format"];
	        this.head = source["head"];
	        this.records = source["records"];
	        this.createdAt = source["createdAt"];
	        this.updatedAt = source["updatedAt"];
	    }
	}
	export class DedupeRequest {
	    datasetId: string;
	    baseVersion: number;
	    near: boolean;
	    threshold: number;
	    apply: boolean;
	
	    static createFrom(source: any = {}) {
	        return new DedupeRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.datasetId = source["datasetId"];
	        this.baseVersion = source["baseVersion"];
	        this.near = source["near"];
	        this.threshold = source["threshold"];
	        this.apply = source["apply"];
	    }
	}
	export class Version {
	    datasetId: string;
	    number: number;
	    parent: number;
	    message: string;
	    records: number;
	    createdAt: string;
	
	    static createFrom(source: any = {}) {
	        return new Version(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.datasetId = source["datasetId"];
	        this.number = source["number"];
	        this.parent = source["parent"];
	        this.message = source["message"];
	        this.records = source["records"];
	        this.createdAt = source["createdAt"];
	    }
	}
	export class RecordRef {
	    id: string;
	    line: number;
	
	    static createFrom(source: any = {}) {
	        return new RecordRef(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.line = source["line"];
	    }
	}
	export class DuplicateGroup {
	    kind: string;
	    similarity: number;
	    records: RecordRef[];
	
	    static createFrom(source: any = {}) {
	        return new DuplicateGroup(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.similarity = source["similarity"];
	        this.records = this.convertValues(source["records"], RecordRef);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DedupeResult {
	    groups: DuplicateGroup[];
	    duplicates: number;
	    version: Version;
	
	    static createFrom(source: any = {}) {
	        return new DedupeResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.groups = this.convertValues(source["groups"], DuplicateGroup);
	        this.duplicates = source["duplicates"];
	        this.version = this.convertValues(source["version"], Version);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DeleteRecordsRequest {
	    datasetId: string;
	    baseVersion: number;
	    ids: string[];
	
	    static createFrom(source: any = {}) {
	        return new DeleteRecordsRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.datasetId = source["datasetId"];
	        this.baseVersion = source["baseVersion"];
	        this.ids = source["ids"];
	    }
	}
	export class RecordView {
	    id: string;
	    line: number;
	    record: Record;
	    tags: string[];
	    source: string;
	    tokens: number;
	
	    static createFrom(source: any = {}) {
	        return new RecordView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.line = source["line"];
	        this.record = this.convertValues(source["record"], Record);
	        this.tags = source["tags"];
	        this.source = source["source"];
	        this.tokens = source["tokens"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RecordChange {
	    id: string;
	    kind: string;
	    fromLine: number;
	    toLine: number;
	    before?: RecordView;
	    after?: RecordView;
	
	    static createFrom(source: any = {}) {
	        return new RecordChange(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.fromLine = source["fromLine"];
	        this.toLine = source["toLine"];
	        this.before = this.convertValues(source["before"], RecordView);
	        this.after = this.convertValues(source["after"], RecordView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Diff {
	    from: number;
	    to: number;
	    added: number;
	    removed: number;
	    changed: number;
	    changes: RecordChange[];
	
	    static createFrom(source: any = {}) {
	        return new Diff(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.from = source["from"];
	        this.to = source["to"];
	        this.added = source["added"];
	        this.removed = source["removed"];
	        this.changed = source["changed"];
	        this.changes = this.convertValues(source["changes"], RecordChange);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DiffRequest {
	    datasetId: string;
	    from: number;
	    to: number;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new DiffRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.datasetId = source["datasetId"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}
	
	export class SplitOptions {
	    seed: number;
	    validationFraction: number;
	    validationRecords: number;
	
	    static createFrom(source: any = {}) {
	        return new SplitOptions(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.seed = source["seed"];
	        this.validationFraction = source["validationFraction"];
	        this.validationRecords = source["validationRecords"];
	    }
	}
	export class ExportRequest {
	    datasetId: string;
	    version: number;
	    format: string;
	    path: string;
	    validationPath: string;
	    split?: SplitOptions;
	    allowLossy: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ExportRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.datasetId = source["datasetId"];
	        this.version = source["version"];
	        this.format = source["format"];
	        this.path = source["path"];
	        this.validationPath = source["validationPath"];
	        this.split = this.convertValues(source["split"], SplitOptions);
	        this.allowLossy = source["allowLossy"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class FindReplaceRequest {
	    datasetId: string;
	    baseVersion: number;
	    find: string;
	    replace: string;
	    regex: boolean;
	    matchCase: boolean;
	    fields: string[];
	    apply: boolean;
	
	    static createFrom(source: any = {}) {
	        return new FindReplaceRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.datasetId = source["datasetId"];
	        this.baseVersion = source["baseVersion"];
	        this.find = source["find"];
	        this.replace = source["replace"];
	        this.regex = source["regex"];
	        this.matchCase = source["matchCase"];
	        this.fields = source["fields"];
	        this.apply = source["apply"];
	    }
	}
	export class FindReplaceResult {
	    matches: number;
	    records: number;
	    samples: RecordChange[];
	    version: Version;
	
	    static createFrom(source: any = {}) {
	        return new FindReplaceResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.matches = source["matches"];
	        this.records = source["records"];
	        this.samples = this.convertValues(source["samples"], RecordChange);
	        this.version = this.convertValues(source["version"], Version);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ImportRequest {
	    datasetId: string;
	    baseVersion: number;
	    path: string;
	    kind: string;
	    format: string;
	    columns: CSVColumns;
	    tags: string[];
	
	    static createFrom(source: any = {}) {
	        return new ImportRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.datasetId = source["datasetId"];
	        this.baseVersion = source["baseVersion"];
	        this.path = source["path"];
	        this.kind = source["kind"];
	        this.format = source["format"];
	        this.columns = this.convertValues(source["columns"], CSVColumns);
	        this.tags = source["tags"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class Page {
	    version: number;
	    total: number;
	    offset: number;
	    records: RecordView[];
	
	    static createFrom(source: any = {}) {
	        return new Page(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.total = source["total"];
	        this.offset = source["offset"];
	        this.records = this.convertValues(source["records"], RecordView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PageRequest {
	    datasetId: string;
	    version: number;
	    offset: number;
	    limit: number;
	    tag: string;
	    text: string;
	    line: number;
	
	    static createFrom(source: any = {}) {
	        return new PageRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.datasetId = source["datasetId"];
	        this.version = source["version"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	        this.tag = source["tag"];
	        this.text = source["text"];
	        this.line = source["line"];
	    }
	}
	
	
	
	
	
	export class SplitRequest {
	    datasetId: string;
	    version: number;
	    split: SplitOptions;
	
	    static createFrom(source: any = {}) {
	        return new SplitRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.datasetId = source["datasetId"];
	        this.version = source["version"];
	        this.split = this.convertValues(source["split"], SplitOptions);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SplitResult {
	    training: number;
	    validation: number;
	    validationLines: number[];
	    warnings: string[];
	
	    static createFrom(source: any = {}) {
	        return new SplitResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.training = source["training"];
	        this.validation = source["validation"];
	        this.validationLines = source["validationLines"];
	        this.warnings = source["warnings"];
	    }
	}
	export class TagCount {
	    tag: string;
	    records: number;
	
	    static createFrom(source: any = {}) {
	        return new TagCount(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.tag = source["tag"];
	        this.records = source["records"];
	    }
	}
	export class TagRequest {
	    datasetId: string;
	    baseVersion: number;
	    ids: string[];
	    add: string[];
	    remove: string[];
	
	    static createFrom(source: any = {}) {
	        return new TagRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.datasetId = source["datasetId"];
	        this.baseVersion = source["baseVersion"];
	        this.ids = source["ids"];
	        this.add = source["add"];
	        this.remove = source["remove"];
	    }
	}
	export class UpdateDatasetRequest {
	    id: string;
	    name: string;
	    baseModel: string;
	    format: string;
	
	    static createFrom(source: any = {}) {
	        return new UpdateDatasetRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.baseModel = source["baseModel"];
	        this.format = source["format"];
	    }
	}
	export class UpdateRecordRequest {
	    datasetId: string;
	    baseVersion: number;
	    id: string;
	    record: Record;
	    tags: string[];
	
	    static createFrom(source: any = {}) {
	        return new UpdateRecordRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.datasetId = source["datasetId"];
	        this.baseVersion = source["baseVersion"];
	        this.id = source["id"];
	        this.record = this.convertValues(source["record"], Record);
	        this.tags = source["tags"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ValidateVersionRequest {
	    datasetId: string;
	    version: number;
	    split?: SplitOptions;
	    batchSize: number;
	
	    static createFrom(source: any = {}) {
	        return new ValidateVersionRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.datasetId = source["datasetId"];
	        this.version = source["version"];
	        this.split = this.convertValues(source["split"], SplitOptions);
	        this.batchSize = source["batchSize"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace evals {
	
	export class Assertion {
	    type: string;
	    value?: string;
	    values?: string[];
	    threshold?: number;
	    min?: number;
	    max?: number;
	    line?: number;
	
	    static createFrom(source: any = {}) {
	        return new Assertion(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.value = source["value"];
	        this.values = source["values"];
	        this.threshold = source["threshold"];
	        this.min = source["min"];
	        this.max = source["max"];
	        this.line = source["line"];
	    }
	}
	export class Attachment {
	    v: number;
	    versionArn: string;
	    runId: string;
	    config: number;
	    suiteId: string;
	    attachedAt: string;
	    attachedBy?: string;
	
	    static createFrom(source: any = {}) {
	        return new Attachment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.v = source["v"];
	        this.versionArn = source["versionArn"];
	        this.runId = source["runId"];
	        this.config = source["config"];
	        this.suiteId = source["suiteId"];
	        this.attachedAt = source["attachedAt"];
	        this.attachedBy = source["attachedBy"];
	    }
	}
	export class Outcome {
	    type: string;
	    value?: string;
	    outcome: string;
	    score?: number;
	    reason: string;
	    judge?: string;
	
	    static createFrom(source: any = {}) {
	        return new Outcome(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.value = source["value"];
	        this.outcome = source["outcome"];
	        this.score = source["score"];
	        this.reason = source["reason"];
	        this.judge = source["judge"];
	    }
	}
	export class TurnAnswer {
	    message: string;
	    answer: string;
	
	    static createFrom(source: any = {}) {
	        return new TurnAnswer(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.message = source["message"];
	        this.answer = source["answer"];
	    }
	}
	export class CaseResult {
	    v: number;
	    runId: string;
	    config: number;
	    configLabel: string;
	    case: number;
	    description?: string;
	    persona: string;
	    turns?: TurnAnswer[];
	    message: string;
	    answer: string;
	    model?: string;
	    pass: boolean;
	    status: string;
	    error?: string;
	    outcomes: Outcome[];
	
	    static createFrom(source: any = {}) {
	        return new CaseResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.v = source["v"];
	        this.runId = source["runId"];
	        this.config = source["config"];
	        this.configLabel = source["configLabel"];
	        this.case = source["case"];
	        this.description = source["description"];
	        this.persona = source["persona"];
	        this.turns = this.convertValues(source["turns"], TurnAnswer);
	        this.message = source["message"];
	        this.answer = source["answer"];
	        this.model = source["model"];
	        this.pass = source["pass"];
	        this.status = source["status"];
	        this.error = source["error"];
	        this.outcomes = this.convertValues(source["outcomes"], Outcome);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ConfigSummary {
	    config: chat.Config;
	    label: string;
	    total: number;
	    passed: number;
	    failed: number;
	    errors: number;
	    passRate: number;
	
	    static createFrom(source: any = {}) {
	        return new ConfigSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.config = this.convertValues(source["config"], chat.Config);
	        this.label = source["label"];
	        this.total = source["total"];
	        this.passed = source["passed"];
	        this.failed = source["failed"];
	        this.errors = source["errors"];
	        this.passRate = source["passRate"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class SuiteGate {
	    suiteId: string;
	    suiteName: string;
	    runId: string;
	    runAt: string;
	    configLabel: string;
	    passRate: number;
	    threshold: number;
	    ready: boolean;
	
	    static createFrom(source: any = {}) {
	        return new SuiteGate(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.suiteId = source["suiteId"];
	        this.suiteName = source["suiteName"];
	        this.runId = source["runId"];
	        this.runAt = source["runAt"];
	        this.configLabel = source["configLabel"];
	        this.passRate = source["passRate"];
	        this.threshold = source["threshold"];
	        this.ready = source["ready"];
	    }
	}
	export class Readiness {
	    versionArn: string;
	    ready: boolean;
	    reason: string;
	    suites: SuiteGate[];
	
	    static createFrom(source: any = {}) {
	        return new Readiness(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.versionArn = source["versionArn"];
	        this.ready = source["ready"];
	        this.reason = source["reason"];
	        this.suites = this.convertValues(source["suites"], SuiteGate);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Run {
	    v: number;
	    id: string;
	    suiteId: string;
	    suiteName: string;
	    suiteVersion: number;
	    threshold?: number;
	    persona?: string;
	    judge?: chat.Config;
	    embedder?: string;
	    cases: number;
	    configs: ConfigSummary[];
	    status: string;
	    error?: string;
	    createdAt: string;
	    finishedAt?: string;
	
	    static createFrom(source: any = {}) {
	        return new Run(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.v = source["v"];
	        this.id = source["id"];
	        this.suiteId = source["suiteId"];
	        this.suiteName = source["suiteName"];
	        this.suiteVersion = source["suiteVersion"];
	        this.threshold = source["threshold"];
	        this.persona = source["persona"];
	        this.judge = this.convertValues(source["judge"], chat.Config);
	        this.embedder = source["embedder"];
	        this.cases = source["cases"];
	        this.configs = this.convertValues(source["configs"], ConfigSummary);
	        this.status = source["status"];
	        this.error = source["error"];
	        this.createdAt = source["createdAt"];
	        this.finishedAt = source["finishedAt"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TestCase {
	    description?: string;
	    persona?: string;
	    turns?: string[];
	    message: string;
	    assert: Assertion[];
	    line?: number;
	
	    static createFrom(source: any = {}) {
	        return new TestCase(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.description = source["description"];
	        this.persona = source["persona"];
	        this.turns = source["turns"];
	        this.message = source["message"];
	        this.assert = this.convertValues(source["assert"], Assertion);
	        this.line = source["line"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Suite {
	    id: string;
	    name: string;
	    description?: string;
	    persona?: string;
	    threshold?: number;
	    cases: TestCase[];
	
	    static createFrom(source: any = {}) {
	        return new Suite(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.description = source["description"];
	        this.persona = source["persona"];
	        this.threshold = source["threshold"];
	        this.cases = this.convertValues(source["cases"], TestCase);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class SuiteSummary {
	    v: number;
	    id: string;
	    name: string;
	    persona?: string;
	    cases: number;
	    threshold?: number;
	    version: number;
	    updatedAt: string;
	    updatedBy?: string;
	
	    static createFrom(source: any = {}) {
	        return new SuiteSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.v = source["v"];
	        this.id = source["id"];
	        this.name = source["name"];
	        this.persona = source["persona"];
	        this.cases = source["cases"];
	        this.threshold = source["threshold"];
	        this.version = source["version"];
	        this.updatedAt = source["updatedAt"];
	        this.updatedBy = source["updatedBy"];
	    }
	}
	export class SuiteVersion {
	    v: number;
	    n: number;
	    author?: string;
	    savedAt: string;
	    note?: string;
	    suite: Suite;
	
	    static createFrom(source: any = {}) {
	        return new SuiteVersion(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.v = source["v"];
	        this.n = source["n"];
	        this.author = source["author"];
	        this.savedAt = source["savedAt"];
	        this.note = source["note"];
	        this.suite = this.convertValues(source["suite"], Suite);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class TrendPoint {
	    runId: string;
	    createdAt: string;
	    passRates: Record<string, number>;
	
	    static createFrom(source: any = {}) {
	        return new TrendPoint(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.runId = source["runId"];
	        this.createdAt = source["createdAt"];
	        this.passRates = source["passRates"];
	    }
	}

}

export namespace fault {
	
	export class Shaped {
	    code: string;
	    message: string;
	    field?: string;
	    line?: number;
	
	    static createFrom(source: any = {}) {
	        return new Shaped(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.message = source["message"];
	        this.field = source["field"];
	        this.line = source["line"];
	    }
	}

}

export namespace lore {
	
	export class CutEntry {
	    index: number;
	    id?: number;
	    name?: string;
	    comment?: string;
	    content: string;
	    position?: string;
	    insertionOrder: number;
	    priority: number;
	    constant?: boolean;
	    keys?: KeyMatch[];
	    secondary?: KeyMatch[];
	    logic?: string;
	    recursion: number;
	    tokens: number;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new CutEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.index = source["index"];
	        this.id = source["id"];
	        this.name = source["name"];
	        this.comment = source["comment"];
	        this.content = source["content"];
	        this.position = source["position"];
	        this.insertionOrder = source["insertionOrder"];
	        this.priority = source["priority"];
	        this.constant = source["constant"];
	        this.keys = this.convertValues(source["keys"], KeyMatch);
	        this.secondary = this.convertValues(source["secondary"], KeyMatch);
	        this.logic = source["logic"];
	        this.recursion = source["recursion"];
	        this.tokens = source["tokens"];
	        this.reason = source["reason"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class KeyMatch {
	    key: string;
	    text: string;
	    message: number;
	    entry?: number;
	
	    static createFrom(source: any = {}) {
	        return new KeyMatch(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.text = source["text"];
	        this.message = source["message"];
	        this.entry = source["entry"];
	    }
	}
	export class FiredEntry {
	    index: number;
	    id?: number;
	    name?: string;
	    comment?: string;
	    content: string;
	    position?: string;
	    insertionOrder: number;
	    priority: number;
	    constant?: boolean;
	    keys?: KeyMatch[];
	    secondary?: KeyMatch[];
	    logic?: string;
	    recursion: number;
	    tokens: number;
	
	    static createFrom(source: any = {}) {
	        return new FiredEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.index = source["index"];
	        this.id = source["id"];
	        this.name = source["name"];
	        this.comment = source["comment"];
	        this.content = source["content"];
	        this.position = source["position"];
	        this.insertionOrder = source["insertionOrder"];
	        this.priority = source["priority"];
	        this.constant = source["constant"];
	        this.keys = this.convertValues(source["keys"], KeyMatch);
	        this.secondary = this.convertValues(source["secondary"], KeyMatch);
	        this.logic = source["logic"];
	        this.recursion = source["recursion"];
	        this.tokens = source["tokens"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Activation {
	    fired: FiredEntry[];
	    cut: CutEntry[];
	    tokensUsed: number;
	    tokenBudget: number;
	    scanned: number;
	    errors?: string[];
	
	    static createFrom(source: any = {}) {
	        return new Activation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.fired = this.convertValues(source["fired"], FiredEntry);
	        this.cut = this.convertValues(source["cut"], CutEntry);
	        this.tokensUsed = source["tokensUsed"];
	        this.tokenBudget = source["tokenBudget"];
	        this.scanned = source["scanned"];
	        this.errors = source["errors"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Book {
	    id: string;
	    name: string;
	    file: string;
	    source: string;
	    format: string;
	    entries: number;
	    addedAt: string;
	
	    static createFrom(source: any = {}) {
	        return new Book(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.file = source["file"];
	        this.source = source["source"];
	        this.format = source["format"];
	        this.entries = source["entries"];
	        this.addedAt = source["addedAt"];
	    }
	}
	export class Rank {
	    rank: number;
	    score: number;
	
	    static createFrom(source: any = {}) {
	        return new Rank(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rank = source["rank"];
	        this.score = source["score"];
	    }
	}
	export class Candidate {
	    chunkId: string;
	    doc: string;
	    chunk: number;
	    score: number;
	    relevance?: number;
	    keyword?: Rank;
	    vector?: Rank;
	    tokens: number;
	    used: boolean;
	    reason?: string;
	
	    static createFrom(source: any = {}) {
	        return new Candidate(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.chunkId = source["chunkId"];
	        this.doc = source["doc"];
	        this.chunk = source["chunk"];
	        this.score = source["score"];
	        this.relevance = source["relevance"];
	        this.keyword = this.convertValues(source["keyword"], Rank);
	        this.vector = this.convertValues(source["vector"], Rank);
	        this.tokens = source["tokens"];
	        this.used = source["used"];
	        this.reason = source["reason"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Chunk {
	    v: number;
	    docId?: string;
	    ord: number;
	    start: number;
	    end: number;
	    heading?: string;
	    page?: number;
	    text: string;
	    tokens: number;
	
	    static createFrom(source: any = {}) {
	        return new Chunk(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.v = source["v"];
	        this.docId = source["docId"];
	        this.ord = source["ord"];
	        this.start = source["start"];
	        this.end = source["end"];
	        this.heading = source["heading"];
	        this.page = source["page"];
	        this.text = source["text"];
	        this.tokens = source["tokens"];
	    }
	}
	export class ChunkOptions {
	    strategy: string;
	    size?: number;
	    overlap?: number;
	    unit?: string;
	
	    static createFrom(source: any = {}) {
	        return new ChunkOptions(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.strategy = source["strategy"];
	        this.size = source["size"];
	        this.overlap = source["overlap"];
	        this.unit = source["unit"];
	    }
	}
	export class ChunkPreview {
	    chunking: ChunkOptions;
	    chunks: Chunk[];
	    total: number;
	    bytes: number;
	
	    static createFrom(source: any = {}) {
	        return new ChunkPreview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.chunking = this.convertValues(source["chunking"], ChunkOptions);
	        this.chunks = this.convertValues(source["chunks"], Chunk);
	        this.total = source["total"];
	        this.bytes = source["bytes"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Collection {
	    name: string;
	    docs: number;
	    chunks: number;
	
	    static createFrom(source: any = {}) {
	        return new Collection(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.docs = source["docs"];
	        this.chunks = source["chunks"];
	    }
	}
	
	export class Document {
	    v: number;
	    id: string;
	    name: string;
	    source: string;
	    format: string;
	    hash: string;
	    size: number;
	    collection?: string;
	    tags?: Record<string, string>;
	    chunking: ChunkOptions;
	    chunks: number;
	    pages?: number;
	    pageStarts?: number[];
	    warnings?: string[];
	    addedAt: string;
	    updatedAt: string;
	
	    static createFrom(source: any = {}) {
	        return new Document(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.v = source["v"];
	        this.id = source["id"];
	        this.name = source["name"];
	        this.source = source["source"];
	        this.format = source["format"];
	        this.hash = source["hash"];
	        this.size = source["size"];
	        this.collection = source["collection"];
	        this.tags = source["tags"];
	        this.chunking = this.convertValues(source["chunking"], ChunkOptions);
	        this.chunks = source["chunks"];
	        this.pages = source["pages"];
	        this.pageStarts = source["pageStarts"];
	        this.warnings = source["warnings"];
	        this.addedAt = source["addedAt"];
	        this.updatedAt = source["updatedAt"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class EmbedProgress {
	    embedder: string;
	    dim?: number;
	    done: number;
	    total: number;
	    state: string;
	    error?: string;
	    searching?: string;
	
	    static createFrom(source: any = {}) {
	        return new EmbedProgress(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.embedder = source["embedder"];
	        this.dim = source["dim"];
	        this.done = source["done"];
	        this.total = source["total"];
	        this.state = source["state"];
	        this.error = source["error"];
	        this.searching = source["searching"];
	    }
	}
	
	
	export class MetaUpdate {
	    collection?: string;
	    tags?: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new MetaUpdate(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.collection = source["collection"];
	        this.tags = source["tags"];
	    }
	}
	export class Passage {
	    citation: string;
	    chunkId: string;
	    doc: string;
	    chunk: number;
	    heading?: string;
	    page?: number;
	    start: number;
	    end: number;
	    collection?: string;
	    text: string;
	    tokens: number;
	    score: number;
	
	    static createFrom(source: any = {}) {
	        return new Passage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.citation = source["citation"];
	        this.chunkId = source["chunkId"];
	        this.doc = source["doc"];
	        this.chunk = source["chunk"];
	        this.heading = source["heading"];
	        this.page = source["page"];
	        this.start = source["start"];
	        this.end = source["end"];
	        this.collection = source["collection"];
	        this.text = source["text"];
	        this.tokens = source["tokens"];
	        this.score = source["score"];
	    }
	}
	export class Query {
	    text: string;
	    k?: number;
	    collections?: string[];
	    tags?: Record<string, string>;
	    mode?: string;
	
	    static createFrom(source: any = {}) {
	        return new Query(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.k = source["k"];
	        this.collections = source["collections"];
	        this.tags = source["tags"];
	        this.mode = source["mode"];
	    }
	}
	
	export class Result {
	    chunkId: string;
	    docId: string;
	    doc: string;
	    chunk: number;
	    score: number;
	    relevance?: number;
	    keyword?: Rank;
	    vector?: Rank;
	    text: string;
	    heading?: string;
	    page?: number;
	    start: number;
	    end: number;
	    tokens: number;
	    collection?: string;
	    tags?: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new Result(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.chunkId = source["chunkId"];
	        this.docId = source["docId"];
	        this.doc = source["doc"];
	        this.chunk = source["chunk"];
	        this.score = source["score"];
	        this.relevance = source["relevance"];
	        this.keyword = this.convertValues(source["keyword"], Rank);
	        this.vector = this.convertValues(source["vector"], Rank);
	        this.text = source["text"];
	        this.heading = source["heading"];
	        this.page = source["page"];
	        this.start = source["start"];
	        this.end = source["end"];
	        this.tokens = source["tokens"];
	        this.collection = source["collection"];
	        this.tags = source["tags"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RetrievalTrace {
	    query: string;
	    mode: string;
	    embedder?: string;
	    collections?: string[];
	    notice?: string;
	    candidates: Candidate[];
	    tokenBudget: number;
	    tokensUsed: number;
	    minRelevance?: number;
	    belowFloor?: number;
	
	    static createFrom(source: any = {}) {
	        return new RetrievalTrace(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.query = source["query"];
	        this.mode = source["mode"];
	        this.embedder = source["embedder"];
	        this.collections = source["collections"];
	        this.notice = source["notice"];
	        this.candidates = this.convertValues(source["candidates"], Candidate);
	        this.tokenBudget = source["tokenBudget"];
	        this.tokensUsed = source["tokensUsed"];
	        this.minRelevance = source["minRelevance"];
	        this.belowFloor = source["belowFloor"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SearchResults {
	    results: Result[];
	    mode: string;
	    embedder?: string;
	    notice?: string;
	
	    static createFrom(source: any = {}) {
	        return new SearchResults(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.results = this.convertValues(source["results"], Result);
	        this.mode = source["mode"];
	        this.embedder = source["embedder"];
	        this.notice = source["notice"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TeamFile {
	    name: string;
	    chunks: number;
	
	    static createFrom(source: any = {}) {
	        return new TeamFile(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.chunks = source["chunks"];
	    }
	}
	export class TeamStatus {
	    index: string;
	    exists: boolean;
	    chunks: number;
	    dimension: number;
	    engine?: string;
	    spaceType?: string;
	    files: TeamFile[];
	    filesPartial?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new TeamStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.index = source["index"];
	        this.exists = source["exists"];
	        this.chunks = source["chunks"];
	        this.dimension = source["dimension"];
	        this.engine = source["engine"];
	        this.spaceType = source["spaceType"];
	        this.files = this.convertValues(source["files"], TeamFile);
	        this.filesPartial = source["filesPartial"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TurnTrace {
	    lorebook?: Activation;
	    retrieval?: RetrievalTrace;
	
	    static createFrom(source: any = {}) {
	        return new TurnTrace(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.lorebook = this.convertValues(source["lorebook"], Activation);
	        this.retrieval = this.convertValues(source["retrieval"], RetrievalTrace);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace persona {
	
	export class CardOrigin {
	    format: string;
	    extra?: Record<string, any>;
	    dataExtra?: Record<string, any>;
	    mirrored?: string[];
	
	    static createFrom(source: any = {}) {
	        return new CardOrigin(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.format = source["format"];
	        this.extra = source["extra"];
	        this.dataExtra = source["dataExtra"];
	        this.mirrored = source["mirrored"];
	    }
	}
	export class Segment {
	    op: string;
	    text: string;
	
	    static createFrom(source: any = {}) {
	        return new Segment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.op = source["op"];
	        this.text = source["text"];
	    }
	}
	export class FieldDiff {
	    field: string;
	    change: string;
	    before: string;
	    after: string;
	    segments: Segment[];
	
	    static createFrom(source: any = {}) {
	        return new FieldDiff(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.field = source["field"];
	        this.change = source["change"];
	        this.before = source["before"];
	        this.after = source["after"];
	        this.segments = this.convertValues(source["segments"], Segment);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class FuncDoc {
	    name: string;
	    usage: string;
	
	    static createFrom(source: any = {}) {
	        return new FuncDoc(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.usage = source["usage"];
	    }
	}
	export class Knowledge {
	    boundaries?: string;
	    loreCollections?: string[];
	
	    static createFrom(source: any = {}) {
	        return new Knowledge(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.boundaries = source["boundaries"];
	        this.loreCollections = source["loreCollections"];
	    }
	}
	export class ListOptions {
	    query?: string;
	    offset?: number;
	    limit?: number;
	
	    static createFrom(source: any = {}) {
	        return new ListOptions(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.query = source["query"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}
	export class LoreEntry {
	    keys: string[];
	    secondaryKeys?: string[];
	    content: string;
	    extensions?: Record<string, any>;
	    enabled: boolean;
	    insertionOrder: number;
	    caseSensitive?: boolean;
	    constant?: boolean;
	    name?: string;
	    priority?: number;
	    id?: number;
	    comment?: string;
	    selective?: boolean;
	    position?: string;
	    useRegex?: boolean;
	    extra?: Record<string, any>;
	
	    static createFrom(source: any = {}) {
	        return new LoreEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.keys = source["keys"];
	        this.secondaryKeys = source["secondaryKeys"];
	        this.content = source["content"];
	        this.extensions = source["extensions"];
	        this.enabled = source["enabled"];
	        this.insertionOrder = source["insertionOrder"];
	        this.caseSensitive = source["caseSensitive"];
	        this.constant = source["constant"];
	        this.name = source["name"];
	        this.priority = source["priority"];
	        this.id = source["id"];
	        this.comment = source["comment"];
	        this.selective = source["selective"];
	        this.position = source["position"];
	        this.useRegex = source["useRegex"];
	        this.extra = source["extra"];
	    }
	}
	export class Lorebook {
	    name?: string;
	    description?: string;
	    scanDepth?: number;
	    tokenBudget?: number;
	    recursiveScanning?: boolean;
	    extensions?: Record<string, any>;
	    entries: LoreEntry[];
	    extra?: Record<string, any>;
	
	    static createFrom(source: any = {}) {
	        return new Lorebook(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.description = source["description"];
	        this.scanDepth = source["scanDepth"];
	        this.tokenBudget = source["tokenBudget"];
	        this.recursiveScanning = source["recursiveScanning"];
	        this.extensions = source["extensions"];
	        this.entries = this.convertValues(source["entries"], LoreEntry);
	        this.extra = source["extra"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Message {
	    role: string;
	    text: string;
	
	    static createFrom(source: any = {}) {
	        return new Message(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.role = source["role"];
	        this.text = source["text"];
	    }
	}
	export class Params {
	    maxTokens?: number;
	    temperature?: number;
	    topP?: number;
	    topK?: number;
	    stop?: string[];
	
	    static createFrom(source: any = {}) {
	        return new Params(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.maxTokens = source["maxTokens"];
	        this.temperature = source["temperature"];
	        this.topP = source["topP"];
	        this.topK = source["topK"];
	        this.stop = source["stop"];
	    }
	}
	export class Template {
	    id: string;
	    name: string;
	    description?: string;
	    system: string;
	    turn?: string;
	    params: Params;
	    builtin?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Template(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.description = source["description"];
	        this.system = source["system"];
	        this.turn = source["turn"];
	        this.params = this.convertValues(source["params"], Params);
	        this.builtin = source["builtin"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Relationship {
	    personaId?: string;
	    name: string;
	    kind?: string;
	    notes?: string;
	
	    static createFrom(source: any = {}) {
	        return new Relationship(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.personaId = source["personaId"];
	        this.name = source["name"];
	        this.kind = source["kind"];
	        this.notes = source["notes"];
	    }
	}
	export class Persona {
	    id: string;
	    name: string;
	    nickname?: string;
	    role?: string;
	    description?: string;
	    personality?: string;
	    speechStyle?: string;
	    scenario?: string;
	    firstGreeting?: string;
	    alternateGreetings?: string[];
	    groupGreetings?: string[];
	    exampleDialogue?: string;
	    goals?: string[];
	    relationships?: Relationship[];
	    knowledge: Knowledge;
	    safetyNotes?: string;
	    tags?: string[];
	    systemPrompt?: string;
	    postHistoryInstructions?: string;
	    creatorNotes?: string;
	    creator?: string;
	    characterVersion?: string;
	    extensions?: Record<string, any>;
	    lorebook?: Lorebook;
	    templateId?: string;
	    template?: Template;
	    avatarId?: string;
	    card?: CardOrigin;
	
	    static createFrom(source: any = {}) {
	        return new Persona(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.nickname = source["nickname"];
	        this.role = source["role"];
	        this.description = source["description"];
	        this.personality = source["personality"];
	        this.speechStyle = source["speechStyle"];
	        this.scenario = source["scenario"];
	        this.firstGreeting = source["firstGreeting"];
	        this.alternateGreetings = source["alternateGreetings"];
	        this.groupGreetings = source["groupGreetings"];
	        this.exampleDialogue = source["exampleDialogue"];
	        this.goals = source["goals"];
	        this.relationships = this.convertValues(source["relationships"], Relationship);
	        this.knowledge = this.convertValues(source["knowledge"], Knowledge);
	        this.safetyNotes = source["safetyNotes"];
	        this.tags = source["tags"];
	        this.systemPrompt = source["systemPrompt"];
	        this.postHistoryInstructions = source["postHistoryInstructions"];
	        this.creatorNotes = source["creatorNotes"];
	        this.creator = source["creator"];
	        this.characterVersion = source["characterVersion"];
	        this.extensions = source["extensions"];
	        this.lorebook = this.convertValues(source["lorebook"], Lorebook);
	        this.templateId = source["templateId"];
	        this.template = this.convertValues(source["template"], Template);
	        this.avatarId = source["avatarId"];
	        this.card = this.convertValues(source["card"], CardOrigin);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PersonaSummary {
	    id: string;
	    name: string;
	    nickname?: string;
	    role?: string;
	    tags?: string[];
	    templateId?: string;
	    avatarId?: string;
	    version: number;
	    createdAt: string;
	    updatedAt: string;
	    updatedBy: string;
	
	    static createFrom(source: any = {}) {
	        return new PersonaSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.nickname = source["nickname"];
	        this.role = source["role"];
	        this.tags = source["tags"];
	        this.templateId = source["templateId"];
	        this.avatarId = source["avatarId"];
	        this.version = source["version"];
	        this.createdAt = source["createdAt"];
	        this.updatedAt = source["updatedAt"];
	        this.updatedBy = source["updatedBy"];
	    }
	}
	export class PersonaPage {
	    items: PersonaSummary[];
	    total: number;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new PersonaPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], PersonaSummary);
	        this.total = source["total"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class PersonaVersion {
	    v: number;
	    personaId: string;
	    n: number;
	    author: string;
	    savedAt: string;
	    note?: string;
	    persona: Persona;
	
	    static createFrom(source: any = {}) {
	        return new PersonaVersion(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.v = source["v"];
	        this.personaId = source["personaId"];
	        this.n = source["n"];
	        this.author = source["author"];
	        this.savedAt = source["savedAt"];
	        this.note = source["note"];
	        this.persona = this.convertValues(source["persona"], Persona);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	export class TemplateSummary {
	    id: string;
	    name: string;
	    description?: string;
	    builtin?: boolean;
	    version: number;
	    createdAt?: string;
	    updatedAt?: string;
	    updatedBy?: string;
	
	    static createFrom(source: any = {}) {
	        return new TemplateSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.description = source["description"];
	        this.builtin = source["builtin"];
	        this.version = source["version"];
	        this.createdAt = source["createdAt"];
	        this.updatedAt = source["updatedAt"];
	        this.updatedBy = source["updatedBy"];
	    }
	}
	export class TemplateVersion {
	    v: number;
	    templateId: string;
	    n: number;
	    author: string;
	    savedAt: string;
	    note?: string;
	    template: Template;
	
	    static createFrom(source: any = {}) {
	        return new TemplateVersion(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.v = source["v"];
	        this.templateId = source["templateId"];
	        this.n = source["n"];
	        this.author = source["author"];
	        this.savedAt = source["savedAt"];
	        this.note = source["note"];
	        this.template = this.convertValues(source["template"], Template);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class VersionInfo {
	    n: number;
	    author: string;
	    savedAt: string;
	    note?: string;
	    name: string;
	
	    static createFrom(source: any = {}) {
	        return new VersionInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.n = source["n"];
	        this.author = source["author"];
	        this.savedAt = source["savedAt"];
	        this.note = source["note"];
	        this.name = source["name"];
	    }
	}

}

export namespace provider {
	
	export class Provider {
	    v: number;
	    name: string;
	    kind: string;
	    baseUrl?: string;
	    model?: string;
	    apiKeyEnv?: string;
	    hasStoredKey: boolean;
	    keyFor?: string;
	    region?: string;
	    profile?: string;
	    modelId?: string;
	    textUrl?: string;
	    ragUrl?: string;
	    created: string;
	    updated: string;
	
	    static createFrom(source: any = {}) {
	        return new Provider(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.v = source["v"];
	        this.name = source["name"];
	        this.kind = source["kind"];
	        this.baseUrl = source["baseUrl"];
	        this.model = source["model"];
	        this.apiKeyEnv = source["apiKeyEnv"];
	        this.hasStoredKey = source["hasStoredKey"];
	        this.keyFor = source["keyFor"];
	        this.region = source["region"];
	        this.profile = source["profile"];
	        this.modelId = source["modelId"];
	        this.textUrl = source["textUrl"];
	        this.ragUrl = source["ragUrl"];
	        this.created = source["created"];
	        this.updated = source["updated"];
	    }
	}
	export class TestResult {
	    name: string;
	    kind: string;
	    reachable: boolean;
	    detail: string;
	    latencyMs: number;
	
	    static createFrom(source: any = {}) {
	        return new TestResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.kind = source["kind"];
	        this.reachable = source["reachable"];
	        this.detail = source["detail"];
	        this.latencyMs = source["latencyMs"];
	    }
	}

}

export namespace secrets {
	
	export class Status {
	    available: boolean;
	    backend: string;
	    detail: string;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.available = source["available"];
	        this.backend = source["backend"];
	        this.detail = source["detail"];
	    }
	}

}

export namespace store {
	
	export class Info {
	    path: string;
	    dataDir: string;
	    schemaVersion: number;
	    supportedSchemaVersion: number;
	    workspaceId: string;
	    created: string;
	    sizeBytes: number;
	    buckets: Record<string, number>;
	    lastBackup: string;
	
	    static createFrom(source: any = {}) {
	        return new Info(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.dataDir = source["dataDir"];
	        this.schemaVersion = source["schemaVersion"];
	        this.supportedSchemaVersion = source["supportedSchemaVersion"];
	        this.workspaceId = source["workspaceId"];
	        this.created = source["created"];
	        this.sizeBytes = source["sizeBytes"];
	        this.buckets = source["buckets"];
	        this.lastBackup = source["lastBackup"];
	    }
	}
	export class ManifestFile {
	    name: string;
	    size: number;
	    sha256: string;
	
	    static createFrom(source: any = {}) {
	        return new ManifestFile(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.size = source["size"];
	        this.sha256 = source["sha256"];
	    }
	}
	export class Manifest {
	    format: number;
	    appVersion: string;
	    schemaVersion: number;
	    created: string;
	    exported: string;
	    workspaceId: string;
	    files: ManifestFile[];
	
	    static createFrom(source: any = {}) {
	        return new Manifest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.format = source["format"];
	        this.appVersion = source["appVersion"];
	        this.schemaVersion = source["schemaVersion"];
	        this.created = source["created"];
	        this.exported = source["exported"];
	        this.workspaceId = source["workspaceId"];
	        this.files = this.convertValues(source["files"], ManifestFile);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

