// `elementrepl.io/paused: "true"` on any resource stops reconciling it (DESIGN §3); the reconciler
// still reports that in status, so the check is separate from the decision of what to write.
import { isAnnotationTrue, PAUSED_ANNOTATION } from '../api/annotations.ts';
import type { KubeObject } from './object.ts';

export { PAUSED_ANNOTATION };

export function isPaused(object: KubeObject): boolean {
  return isAnnotationTrue(object.metadata, PAUSED_ANNOTATION);
}
