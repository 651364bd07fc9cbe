// An object the kind's schema cannot read (the CRD admitted it; e.g. written before a stricter
// version of the CRD) is not skipped silently: Ready=False and Stalled=True with reason
// InvalidSpec (and Reconciling=False), naming the fields, and nothing else happens until the spec changes. Pure.
import { setCondition } from '../../api/index.ts';
import type { Condition } from '../../api/index.ts';

interface RawObject {
  metadata?: { generation?: number };
  status?: { conditions?: Condition[] };
}

/** The stored status with the two conditions and observedGeneration set; everything else is kept. */
export function invalidSpecStatus(raw: unknown, fields: readonly string[], now: Date): Record<string, unknown> {
  const object = (raw ?? {}) as RawObject;
  const generation = object.metadata?.generation;
  const message = `the spec cannot be read: ${fields.slice(0, 10).join(', ') || 'unknown field'}; fix the spec (nothing is done until then)`;
  let conditions = object.status?.conditions ?? [];
  conditions = setCondition(conditions, { type: 'Ready', status: 'False', reason: 'InvalidSpec', message }, generation, now);
  conditions = setCondition(conditions, { type: 'Stalled', status: 'True', reason: 'InvalidSpec', message }, generation, now);
  // kstatus reads Failed (Stalled), not InProgress (InvalidSpec is Stalled for every kind in READY_REASON_KSTATUS).
  conditions = setCondition(conditions, { type: 'Reconciling', status: 'False', reason: 'NotReconciling', message: 'stalled: a human must act (see Stalled)' }, generation, now);
  return { ...object.status, ...(generation === undefined ? {} : { observedGeneration: generation }), conditions };
}
