#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader, so `npx concord` always matches src/.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
