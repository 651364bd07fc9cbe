// The operator's Kubernetes client: typed helpers over the REST paths of any resource (custom
// objects of elementrepl.io/v1alpha1 and core objects alike), with every patch Content-Type set
// explicitly. Requests go through client-node's KubeConfig (authentication headers and TLS) with
// one undici dispatcher per client, so connections are reused, rather than its generated API
// classes: those default custom-object patches to JSON Patch, turn timestamps into Date objects in
// list/get results but not in watch events, and put response headers into error messages. Here
// every object is plain JSON, as in watch events, and every failure is a KubeApiError.
import { PatchStrategy, RequestContext, type KubeConfig } from '@kubernetes/client-node';
import { fetch } from 'undici';
import { GROUP, VERSION, type ResourceNames } from '../api/group.ts';
import type { KubeObject } from '../controller/object.ts';
import { KubeApiError, kubeApiErrorFromResponse, kubeTransportError } from './errors.ts';

/** Where a kind lives in the REST API. */
export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

export function customResource(names: ResourceNames): ResourceType {
  return { group: GROUP, version: VERSION, plural: names.plural, kind: names.kind, namespaced: names.scope === 'Namespaced' };
}

export const SECRETS: ResourceType = { group: '', version: 'v1', plural: 'secrets', kind: 'Secret', namespaced: true };
export const CONFIG_MAPS: ResourceType = { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true };

export function apiVersionOf(resource: ResourceType): string {
  return resource.group ? `${resource.group}/${resource.version}` : resource.version;
}

/** `/api/v1[/namespaces/<ns>]/<plural>` or `/apis/<group>/<version>[/namespaces/<ns>]/<plural>`. */
export function collectionPath(resource: ResourceType, namespace?: string): string {
  const base = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
  if (resource.namespaced && namespace) return `${base}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}`;
  return `${base}/${resource.plural}`;
}

export const FIELD_MANAGER = 'elementrepl-operator';

export interface ListOptions {
  namespace?: string | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  limit?: number | undefined;
  continue?: string | undefined;
  resourceVersion?: string | undefined;
  /** Cancels the request (e.g. on shutdown). */
  signal?: AbortSignal | undefined;
}

export interface ListPage<T> {
  items: T[];
  resourceVersion: string;
  continue?: string | undefined;
}

export interface WriteOptions {
  namespace?: string | undefined;
  /** Optimistic concurrency: the write fails with 409 if the object changed since this version. */
  resourceVersion?: string | undefined;
}

export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

export interface DeleteOptions {
  namespace?: string | undefined;
  preconditions?: { resourceVersion?: string; uid?: string } | undefined;
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan' | undefined;
}

export interface KubeClientOptions {
  fieldManager?: string;
  /** Per request (not for watches); default 60 s. */
  requestTimeoutMs?: number;
}

interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal | undefined;
  /** Short description for error messages: `get secrets ns/name`. */
  what: string;
}

export class KubeClient {
  readonly kubeConfig: KubeConfig;
  readonly fieldManager: string;
  #requestTimeoutMs: number;
  /**
   * client-node (2.0.1) builds a new undici Agent on every applySecurityAuthentication, i.e. a new
   * TLS connection and handshake per request; the first one is kept and reused. Headers (tokens)
   * are still applied per request.
   */
  #dispatcher: ReturnType<RequestContext['getDispatcher']>;

  constructor(kubeConfig: KubeConfig, options: KubeClientOptions = {}) {
    this.kubeConfig = kubeConfig;
    this.fieldManager = options.fieldManager ?? FIELD_MANAGER;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  }

  /** The object, or null when it does not exist. */
  async get<T extends KubeObject>(resource: ResourceType, name: string, namespace?: string): Promise<T | null> {
    try {
      return await this.#request<T>({ method: 'GET', path: objectPath(resource, name, namespace), what: describe('get', resource, name, namespace) });
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return null;
      throw error;
    }
  }

  /** One page of a list; `continue` is set when there are more. */
  async list<T extends KubeObject>(resource: ResourceType, options: ListOptions = {}): Promise<ListPage<T>> {
    const list = await this.#request<{ items?: T[] | null; metadata?: { resourceVersion?: string; continue?: string } }>({
      method: 'GET',
      path: collectionPath(resource, options.namespace),
      query: {
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        limit: options.limit,
        continue: options.continue,
        resourceVersion: options.resourceVersion,
      },
      signal: options.signal,
      what: describe('list', resource, undefined, options.namespace),
    });
    // List items carry no apiVersion/kind; fill them in so objects look the same as from get or watch.
    const items = (list.items ?? []).map((item) => ({ apiVersion: apiVersionOf(resource), kind: resource.kind, ...item }));
    return { items, resourceVersion: list.metadata?.resourceVersion ?? '', continue: list.metadata?.continue || undefined };
  }

  /** Every page of a list, consistent at the returned resourceVersion. */
  async listAll<T extends KubeObject>(resource: ResourceType, options: Omit<ListOptions, 'continue'> = {}): Promise<ListPage<T>> {
    const items: T[] = [];
    let page: ListPage<T> | undefined;
    do {
      page = await this.list<T>(resource, { limit: 500, ...options, continue: page?.continue });
      items.push(...page.items);
    } while (page.continue);
    return { items, resourceVersion: page.resourceVersion };
  }

  /** Creates the object in `options.namespace` or its own metadata.namespace. */
  create<T extends KubeObject>(resource: ResourceType, object: T, options: { namespace?: string } = {}): Promise<T> {
    const namespace = options.namespace ?? object.metadata.namespace;
    const body = { apiVersion: apiVersionOf(resource), kind: resource.kind, ...object };
    return this.#request<T>({
      method: 'POST',
      path: collectionPath(resource, namespace),
      query: { fieldManager: this.fieldManager },
      body,
      what: describe('create', resource, object.metadata.name, namespace),
    });
  }

  /** A review (SubjectAccessReview…): answered, never stored, so no metadata and no field manager. */
  review<T>(resource: ResourceType, spec: unknown): Promise<T> {
    return this.#request<T>({ method: 'POST', path: collectionPath(resource), body: { apiVersion: apiVersionOf(resource), kind: resource.kind, spec }, what: `create ${resource.plural}` });
  }

  /** RFC 7386 merge patch (lists are replaced wholesale; null deletes a field). */
  mergePatch<T extends KubeObject>(resource: ResourceType, name: string, patch: Record<string, unknown>, options: WriteOptions = {}): Promise<T> {
    return this.#patch<T>(resource, name, withResourceVersion(patch, options.resourceVersion), PatchStrategy.MergePatch, options.namespace, '');
  }

  /** RFC 6902 JSON patch; a failing `test` op answers 422. */
  jsonPatch<T extends KubeObject>(resource: ResourceType, name: string, operations: JsonPatchOperation[], options: { namespace?: string } = {}): Promise<T> {
    return this.#patch<T>(resource, name, operations, PatchStrategy.JsonPatch, options.namespace, '');
  }

  /** Server-side apply as field manager `elementrepl-operator`; `force` takes over conflicting fields. */
  apply<T extends KubeObject>(resource: ResourceType, object: T, options: { force?: boolean; namespace?: string } = {}): Promise<T> {
    const namespace = options.namespace ?? object.metadata.namespace;
    const body = { apiVersion: apiVersionOf(resource), kind: resource.kind, ...object };
    return this.#patch<T>(resource, object.metadata.name, body, PatchStrategy.ServerSideApply, namespace, '', options.force ?? false);
  }

  /** Merge patch of the /status subresource: `{status}` (plus metadata.resourceVersion when given). */
  patchStatus<T extends KubeObject>(resource: ResourceType, name: string, status: unknown, options: WriteOptions = {}): Promise<T> {
    return this.#patch<T>(resource, name, withResourceVersion({ status }, options.resourceVersion), PatchStrategy.MergePatch, options.namespace, '/status');
  }

  /** True when deleted (or deletion started), false when it did not exist. */
  async delete(resource: ResourceType, name: string, options: DeleteOptions = {}): Promise<boolean> {
    const body: Record<string, unknown> = { apiVersion: 'v1', kind: 'DeleteOptions' };
    if (options.preconditions) body['preconditions'] = options.preconditions;
    if (options.propagationPolicy) body['propagationPolicy'] = options.propagationPolicy;
    try {
      await this.#request({ method: 'DELETE', path: objectPath(resource, name, options.namespace), body, what: describe('delete', resource, name, options.namespace) });
      return true;
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return false;
      throw error;
    }
  }

  #patch<T>(resource: ResourceType, name: string, body: unknown, contentType: PatchStrategy, namespace: string | undefined, subresource: string, force?: boolean): Promise<T> {
    const apply = contentType === PatchStrategy.ServerSideApply;
    return this.#request<T>({
      method: 'PATCH',
      path: objectPath(resource, name, namespace) + subresource,
      query: { fieldManager: this.fieldManager, force: apply ? force : undefined },
      body,
      contentType,
      what: describe(`patch${subresource}`, resource, name, namespace),
    });
  }

  async #request<T>(spec: RequestSpec): Promise<T> {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new KubeApiError(0, 'NoCluster', `${spec.what}: no current cluster in the Kubernetes configuration`);
    const url = new URL(cluster.server.replace(/\/+$/, '') + spec.path);
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
    }
    const context = new RequestContext(url.toString(), spec.method);
    context.setHeaderParam('Accept', 'application/json');
    if (spec.body !== undefined) context.setHeaderParam('Content-Type', spec.contentType ?? 'application/json');
    let status: number;
    let text: string;
    try {
      await this.kubeConfig.applySecurityAuthentication(context);
      this.#dispatcher ??= context.getDispatcher();
      const response = await fetch(url, {
        method: spec.method,
        headers: context.getHeaders(),
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        dispatcher: this.#dispatcher,
        signal: spec.signal ? AbortSignal.any([spec.signal, AbortSignal.timeout(this.#requestTimeoutMs)]) : AbortSignal.timeout(this.#requestTimeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw kubeTransportError(error, spec.what);
    }
    if (status < 200 || status >= 300) throw kubeApiErrorFromResponse(status, text, spec.what);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

function objectPath(resource: ResourceType, name: string, namespace: string | undefined): string {
  if (resource.namespaced && !namespace) throw new KubeApiError(0, 'NoNamespace', `${resource.plural} ${name}: a namespace is required`);
  return `${collectionPath(resource, namespace)}/${encodeURIComponent(name)}`;
}

function withResourceVersion(patch: Record<string, unknown>, resourceVersion: string | undefined): Record<string, unknown> {
  if (!resourceVersion) return patch;
  const metadata = (patch['metadata'] ?? {}) as Record<string, unknown>;
  return { ...patch, metadata: { ...metadata, resourceVersion } };
}

function describe(verb: string, resource: ResourceType, name: string | undefined, namespace: string | undefined): string {
  const target = [namespace, name].filter(Boolean).join('/');
  return `${verb} ${resource.plural}${target ? ` ${target}` : ''}`;
}
