#!/usr/bin/env node
import { processIo } from './cli-io.js';
import { main } from './main.js';

// The exit code is set, not forced: stdout drains and every command closes what it opened.
process.exitCode = await main(process.argv.slice(2), processIo);
