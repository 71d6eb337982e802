#!/usr/bin/env node
// The `dubstage` command on PATH: `ln -s "$PWD/services/cli/bin/dubstage.js" ~/.local/bin/dubstage`, then run
// it from any folder. Node resolves this file's real path, so the import below finds the TypeScript sources,
// which Node 24 runs by stripping their types (they must not sit under a node_modules folder).
import "../src/main.ts";
