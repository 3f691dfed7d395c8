/**
 * A Vite plugin that writes a Brotli (`.br`) and a gzip (`.gz`) copy beside
 * every text file of the build, at the strongest settings: done once at build
 * time, a phone on a slow link gets the main script at about a third of its
 * size and the server spends nothing per request. The server (`http/assets.rs`)
 * picks the copy that the request's `Accept-Encoding` allows.
 *
 * A copy is kept only when it saves at least a tenth: tiny files and images
 * are served as they are.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

const TEXT = /\.(?:js|mjs|css|html|svg|json|webmanifest|txt|map)$/;
const MIN_BYTES = 1024;

export function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'moim-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    async closeBundle() {
      for (const file of await textFiles(outDir)) {
        const body = await readFile(file);
        if (body.length < MIN_BYTES) continue;
        const br = brotliCompressSync(body, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          },
        });
        const gz = gzipSync(body, { level: 9 });
        if (br.length <= body.length * 0.9) await writeFile(`${file}.br`, br);
        if (gz.length <= body.length * 0.9) await writeFile(`${file}.gz`, gz);
      }
    },
  };
}

async function textFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    if ((await stat(path)).isDirectory()) found.push(...(await textFiles(path)));
    else if (TEXT.test(name)) found.push(path);
  }
  return found;
}
