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
    rolldownOptions: {
      output: {
        // Libraries every page loads get chunks of their own: they change less often than the app, so
        // browsers keep them cached across releases. Ant Design stays split per component by the routes
        // that use it, so the sign-in page does not load the tables and trees of the organizer's pages.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ },
            { name: 'i18n', test: /node_modules[\\/](i18next|react-i18next)[\\/]/ },
            { name: 'query', test: /node_modules[\\/]@tanstack[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    // '^/api/' and not '/api': the app's own module src/web/api.ts must not go to the server.
    proxy: { '^/api/': 'http://localhost:3000' },
  },
});
