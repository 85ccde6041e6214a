#!/usr/bin/env node
/**
 * The `trajectory-store` command run from the sources, with no build step
 * (the tests run it this way): `node scripts/trajectory-store.mjs list`.
 */
import { importTs } from './load-ts.mjs';

const { exitOnSignals, main, processIo } = await importTs('src/cli/main.ts');
const io = processIo();
exitOnSignals(io);
process.exitCode = await main(process.argv.slice(2), io);
