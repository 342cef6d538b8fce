#!/usr/bin/env node

// The language server for any LSP client: `dirsync-language-server --stdio`.
require('../dist/server.js');
