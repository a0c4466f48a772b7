import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The web app: built into dist/web and served by the API server at `/`. */
export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // '^/api/' and not '/api': the app's own module src/web/api.ts must not go to the server.
    proxy: { '^/api/': 'http://localhost:3000' },
  },
});
