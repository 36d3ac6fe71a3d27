import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// The renderer: relative asset paths, because the app is served under /t/<token>/ in browser
// mode and from file:// in Electron.
export default defineConfig({
  root: 'src/renderer',
  base: './',
  plugins: [solid(), tailwindcss()],
  build: { outDir: '../../dist/renderer', emptyOutDir: true, chunkSizeWarningLimit: 5000, target: 'es2022' },
  worker: { format: 'es' },
});
