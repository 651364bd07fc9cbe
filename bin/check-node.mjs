// Plain JavaScript on purpose: this must parse and run on any Node, including old ones, so it can
// tell the user what to do instead of crashing on syntax or APIs that old Node lacks.
const REQUIRED_MAJOR = 24;

export function ensureSupportedNode(program) {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= REQUIRED_MAJOR) return;
  process.stderr.write(
    `${program}: this program needs Node ${REQUIRED_MAJOR} LTS, but it was started with Node ${process.versions.node}.\n` +
      `The project pins Node ${REQUIRED_MAJOR} as a dev dependency. Run it through npm instead, for example:\n` +
      `  npm ci && ${program === 'kubectl-elementrepl' ? 'npm exec kubectl-elementrepl' : `npm run ${program === 'element-sim' ? 'sim' : 'start'}`} -- --help\n` +
      `or call the pinned binary directly: ./node_modules/.bin/node bin/${program}.mjs\n`,
  );
  process.exit(1);
}
