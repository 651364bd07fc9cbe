// The inputs of the generated chart files: kustomize output of deploy/ (through a caller-given
// `kustomize(dir)`, so tests use their kubectl), package.json's version and src/config.ts's flags.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { FLAGS } from '../../src/config.ts';
import { CHART_NAME, generateChart, type ChartFile, type ChartFlag, type KubeDoc } from './helm-chart.ts';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CHART_DIR = join(ROOT, 'deploy', 'helm', CHART_NAME);

/** Flags the Deployment sets itself (or the pod's environment does): not in values.flags. */
const FIXED_FLAGS = new Set(['kubeconfig', 'metrics-bind-address', 'health-probe-bind-address', 'leader-elect', 'operator-namespace']);

export const chartFlags = (): ChartFlag[] => FLAGS.filter((f) => !FIXED_FLAGS.has(f.flag)).map(({ flag, help, default: d }) => ({ flag, help, default: d }));

export const packageVersion = (): string => (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export const parseDocs = (text: string): KubeDoc[] => parseAllDocuments(text).map((d) => d.toJS() as KubeDoc).filter(Boolean);

export function chartFiles(kustomize: (dir: string) => string): ChartFile[] {
  const base = parseDocs(kustomize('deploy'));
  const key = (d: KubeDoc) => `${d.kind}/${d.metadata.namespace ?? ''}/${d.metadata.name}`;
  const inBase = new Set(base.map(key));
  const monitoring = parseDocs(kustomize('deploy/with-monitoring')).filter((d) => !inBase.has(key(d)));
  return generateChart({ base, monitoring, version: packageVersion(), flags: chartFlags() });
}
