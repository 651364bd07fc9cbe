#!/usr/bin/env node
// Entry point: checks the Node version first (this file stays plain JavaScript), then loads the
// TypeScript sources in a checkout (Node 24 strips types) or the compiled dist/ in an image.
import { ensureSupportedNode } from './check-node.mjs';

ensureSupportedNode('elementrepl-operator');
const { existsSync } = await import('node:fs');
const source = new URL('../src/main.ts', import.meta.url);
await import(existsSync(source) ? source : new URL('../dist/main.js', import.meta.url));
