#!/usr/bin/env node
// Builds the web app into web/dist with Vite, unless web/dist/index.html is already newer than
// every source file (web/src, web/index.html, web/vite.config.ts), so a second `npm start` is fast.
// `--force` builds anyway.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'web');
const output = join(web, 'dist', 'index.html');

/** Newest modification time under the given files and folders, with the file it belongs to. */
function newestSource(paths) {
  let newest = { mtimeMs: 0, path: '' };
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry));
    } else if (stat.mtimeMs > newest.mtimeMs) {
      newest = { mtimeMs: stat.mtimeMs, path };
    }
  };
  for (const path of paths) visit(path);
  return newest;
}

export async function buildWeb({ force = false, log = console.log } = {}) {
  const sources = newestSource([join(web, 'src'), join(web, 'index.html'), join(web, 'vite.config.ts'), join(web, 'tsconfig.json')]);
  if (!force && existsSync(output)) {
    const built = statSync(output).mtimeMs;
    if (built >= sources.mtimeMs) {
      log(`web: web/dist is up to date (newest source ${relative(root, sources.path)}); skipping the build`);
      return { built: false };
    }
    log(`web: ${relative(root, sources.path)} changed since the last build; rebuilding`);
  } else {
    log(force ? 'web: building (forced)' : 'web: web/dist/index.html is missing; building');
  }
  const started = Date.now();
  // A production bundle even when called from a test runner (vitest sets NODE_ENV=test, and Vite
  // and React follow NODE_ENV).
  process.env.NODE_ENV = 'production';
  const { build } = await import('vite');
  await build({ configFile: join(web, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  log(`web: built web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { built: true };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildWeb({ force: process.argv.includes('--force') }).catch((error) => {
    console.error('web: build failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
