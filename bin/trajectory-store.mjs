#!/usr/bin/env node
// The package's command: the built CLI (dist/cli.js, made by `npm run build:lib`).
import { exitOnSignals, main, processIo } from '../dist/cli.js';

const io = processIo();
exitOnSignals(io);
process.exitCode = await main(process.argv.slice(2), io);
