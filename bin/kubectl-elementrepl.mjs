#!/usr/bin/env node
// Entry point of the kubectl plugin (`kubectl elementrepl …` once on PATH): checks the Node version
// first (this file stays plain JavaScript), then loads the TypeScript sources in a checkout (Node 24
// strips types) or the compiled dist/ in an image.
import { ensureSupportedNode } from './check-node.mjs';

ensureSupportedNode('kubectl-elementrepl');
const { existsSync } = await import('node:fs');
const source = new URL('../src/cli/main.ts', import.meta.url);
await import(existsSync(source) ? source : new URL('../dist/cli/main.js', import.meta.url));
