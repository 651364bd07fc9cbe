// Shared pieces of the admin API's routes: what a route sees, its HTTP error, cluster lookup.
import type { ClusterDetails } from './admin-schema.ts';
import type { FaultStore } from './faults.ts';
import type { ClusterRecord, VolumeRecord } from './model.ts';
import type { DownMode } from './rpc-server.ts';
import type { SimWorld } from './world.ts';

export interface SimulatorControl {
  world: SimWorld;
  faults: FaultStore;
  clusterDetails(): ClusterDetails[];
  setDown(name: string, mode: DownMode | undefined): Promise<void>;
  reset(): Promise<void>;
}

export class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export type Route = (control: SimulatorControl, body: unknown, match: RegExpExecArray, query: URLSearchParams) => unknown;

export function cluster(control: SimulatorControl, name: string | undefined): ClusterRecord {
  const found = name === undefined ? undefined : control.world.clusters.get(decodeURIComponent(name));
  if (!found) throw new HttpError(404, `unknown cluster '${name}'`);
  return found;
}

/** A volume that exists and is not deleted, else 404. */
export function liveVolumeOr404(record: ClusterRecord, id: string | undefined): VolumeRecord {
  const volume = record.volumes.get(Number(id));
  if (!volume || volume.deleteTime !== '') throw new HttpError(404, `unknown volume ${id}`);
  return volume;
}
