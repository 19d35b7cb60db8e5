import { defineConfig } from 'vite';

// The C++ server serves dist/ at "/" and answers index.html for unknown paths
// without an extension, so the application routes with the History API.
export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // One small bundle: the whole application is a few kilobytes.
    modulePreload: { polyfill: false },
  },
  server: {
    // `npm run dev` against a running `motcua serve` on the default port.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
