// Minimum Node major the project runs on (client-node 2.x, undici 8 and vitest need >= 22.19;
// the project pins 24 LTS through the npm package `node`).
export const REQUIRED_NODE_MAJOR = 24;
