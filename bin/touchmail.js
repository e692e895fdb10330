#!/usr/bin/env node
// The `touchmail` command: runs the compiled CLI (built by `npm ci` through the prepare script).
import '../dist/cli/main.js';
