#!/usr/bin/env node
// The `suanli` command. The code is TypeScript run by Node's type stripping (Node >= 22.18 / 24).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(`suanli needs Node.js 24 (found ${process.version}). Run it through npm (npm start, npm run suanli -- …), which uses the project's node@24.`);
  process.exit(1);
}
await import('../src/cli/main.ts');
