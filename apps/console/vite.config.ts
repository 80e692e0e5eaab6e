import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the API under /console; the API answers index.html for every client route below it.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // One file per library family keeps the app's own chunk small and the rest long-cached.
    chunkSizeWarningLimit: 2000,
    // No inline scripts or styles in index.html: the console's CSP allows scripts from 'self' only.
    modulePreload: { polyfill: false },
  },
  server: {
    // `npx vite` in apps/console talks to an API on :3000 (npm start) for development.
    proxy: {
      '^/(me|refunds|metrics)': 'http://127.0.0.1:3000',
      '/console/demo.json': 'http://127.0.0.1:3000',
    },
  },
});
