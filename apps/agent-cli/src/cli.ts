#!/usr/bin/env node
process.stdout.write('agent-cli\n');
