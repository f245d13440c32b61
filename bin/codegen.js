#!/usr/bin/env node
// Launcher for the codegen CLI: the CLI itself is TypeScript compiled to dist/.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/codegen/cli/main.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('codegen: dist/ is missing; run `npm run build:ts` first\n');
  process.exit(2);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
