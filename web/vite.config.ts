/**
 * Vite build for moim's web UI. The Rust build script sets MOIM_WEB_OUT to a
 * folder under cargo's OUT_DIR and embeds what lands there into the binary;
 * without it the output goes to `dist/` for `vite preview`.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './build/precompress';

/** Where `npm run dev` sends the server's endpoints: a local `moim` binary. */
const SERVER = 'http://localhost:3000';

export default defineConfig({
  base: '/',
  plugins: [react(), precompress()],
  build: {
    outDir: process.env.MOIM_WEB_OUT || 'dist',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/socket.io': { target: SERVER, ws: true },
      // A RegExp, so only the course's `/ws` endpoint matches, not `/ws…` paths.
      '^/ws(?:[/?]|$)': { target: SERVER, ws: true },
      '/healthz': { target: SERVER },
    },
  },
});
