// Finalizers with optimistic concurrency: a merge patch that carries the resourceVersion the list
// was read at, so a concurrent writer (another controller's finalizer, a user edit) makes the
// patch fail with 409 Conflict — the controller requeues and the next attempt starts from fresh
// data — instead of silently overwriting their list. A finalizer is removed only after cleanup
// reported success: never in a `finally`, never after an exception.
import type { KubeClient, ResourceType } from '../kube/client.ts';
import { isDeleting, type KubeObject } from './object.ts';

export type FinalizerClient = Pick<KubeClient, 'mergePatch'>;

export function hasFinalizer(object: KubeObject, finalizer: string): boolean {
  return object.metadata.finalizers?.includes(finalizer) ?? false;
}

/**
 * Adds the finalizer unless present. Objects already being deleted are left alone (the API server
 * forbids new finalizers then). Returns the object as the server has it after the patch.
 */
export async function ensureFinalizer<T extends KubeObject>(client: FinalizerClient, resource: ResourceType, object: T, finalizer: string): Promise<T> {
  if (hasFinalizer(object, finalizer) || isDeleting(object)) return object;
  const finalizers = [...(object.metadata.finalizers ?? []), finalizer];
  return patchFinalizers(client, resource, object, finalizers);
}

/** Removes the finalizer if present. Resolves with the patched object, or null if the object is gone. */
export async function removeFinalizer<T extends KubeObject>(client: FinalizerClient, resource: ResourceType, object: T, finalizer: string): Promise<T | null> {
  if (!hasFinalizer(object, finalizer)) return object;
  const finalizers = (object.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  try {
    return await patchFinalizers(client, resource, object, finalizers);
  } catch (error) {
    if ((error as { status?: unknown } | null)?.status === 404) return null;
    throw error;
  }
}

export type FinalizeOutcome = 'notDeleting' | 'notOurs' | 'pending' | 'removed';

/**
 * For an object being deleted that carries our finalizer: runs cleanup; only when it resolves with
 * 'done' is the finalizer removed. A throw propagates (the controller retries with backoff) and a
 * 'pending' result leaves the finalizer for the next reconcile.
 */
export async function finalize<T extends KubeObject>(
  client: FinalizerClient,
  resource: ResourceType,
  object: T,
  finalizer: string,
  cleanup: () => Promise<'done' | 'pending'>,
): Promise<FinalizeOutcome> {
  if (!isDeleting(object)) return 'notDeleting';
  if (!hasFinalizer(object, finalizer)) return 'notOurs';
  if ((await cleanup()) !== 'done') return 'pending';
  await removeFinalizer(client, resource, object, finalizer);
  return 'removed';
}

function patchFinalizers<T extends KubeObject>(client: FinalizerClient, resource: ResourceType, object: T, finalizers: string[]): Promise<T> {
  const { name, namespace, resourceVersion } = object.metadata;
  if (!resourceVersion) throw new Error(`cannot change finalizers of ${name} without its resourceVersion`);
  return client.mergePatch<T>(resource, name, { metadata: { finalizers } }, { namespace, resourceVersion });
}
