// Public surface of src/api: schemas of the three kinds and the names around them. Pure.
export * from './group.ts';
export * from './common.ts';
export * from './conditions.ts';
export * from './event-reasons.ts';
export * from './incidents.ts';
export * from './annotations.ts';
export * from './finalizers.ts';
export * from './labels.ts';
export * from './element-cluster.ts';
export * from './cluster-pair.ts';
export * from './volume-pair.ts';
export * from './kstatus.ts';
