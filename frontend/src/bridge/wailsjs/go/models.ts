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
	export class AddProviderRequest {
	    provider: provider.Provider;
	    apiKey: string;
	
	    static createFrom(source: any = {}) {
	        return new AddProviderRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.provider = this.convertValues(source["provider"], provider.Provider);
	        this.apiKey = source["apiKey"];
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
	export class Settings {
	    v: number;
	    author: string;
	    theme: string;
	
	    static createFrom(source: any = {}) {
	        return new Settings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.v = source["v"];
	        this.author = source["author"];
	        this.theme = source["theme"];
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

export namespace cloud {
	
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

export namespace provider {
	
	export class Provider {
	    v: number;
	    name: string;
	    kind: string;
	    baseUrl?: string;
	    model?: string;
	    apiKeyEnv?: string;
	    hasStoredKey: boolean;
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

