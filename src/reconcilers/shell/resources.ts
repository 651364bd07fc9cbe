// The API resources of the three kinds, for the shells' reads and writes.
import { CLUSTER_PAIR, ELEMENT_CLUSTER, VOLUME_PAIR } from '../../api/index.ts';
import { customResource } from '../../kube/client.ts';

export const ELEMENT_CLUSTERS = customResource(ELEMENT_CLUSTER);
export const CLUSTER_PAIRS = customResource(CLUSTER_PAIR);
export const VOLUME_PAIRS = customResource(VOLUME_PAIR);
