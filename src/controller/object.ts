// The shape of a Kubernetes object as the runtime core needs it: only metadata. Structural, so any
// schema-typed object (src/api) fits; plain data, as the API server sends it (timestamps are strings).

export interface KubeObjectMeta {
  name: string;
  namespace?: string | undefined;
  uid?: string | undefined;
  resourceVersion?: string | undefined;
  generation?: number | undefined;
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
  finalizers?: string[] | undefined;
  deletionTimestamp?: string | undefined;
}

export interface KubeObject {
  apiVersion?: string | undefined;
  kind?: string | undefined;
  metadata: KubeObjectMeta;
}

/** What a reconciler is asked to reconcile: one object, by name (namespace absent for cluster-scoped kinds). */
export interface ReconcileRequest {
  namespace?: string | undefined;
  name: string;
}

/** Queue key: `namespace/name`, or `name` for cluster-scoped objects (client-go's MetaNamespaceKeyFunc). */
export function requestKey(request: ReconcileRequest): string {
  return request.namespace ? `${request.namespace}/${request.name}` : request.name;
}

export function objectKey(object: KubeObject): string {
  return requestKey(object.metadata);
}

export function parseKey(key: string): ReconcileRequest {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export function isDeleting(object: KubeObject): boolean {
  return Boolean(object.metadata.deletionTimestamp);
}
