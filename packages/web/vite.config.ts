/**
 * The web app: `npx vite` serves it on :5173 with /api and /docs proxied to the Fastify server on
 * :3000; `npx vite build` writes packages/web/dist, which the server serves in production.
 */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const API = process.env.TINGJIAN_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: { '/api': API, '/docs': API },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // React and ECharts change rarely: their own chunks stay cached across releases. Ant Design is
    // left to the bundler, which splits it by page so the login screen does not load Table or Upload.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|scheduler)[\\/]/, priority: 30 },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender|tslib)[\\/]/, priority: 20 },
          ],
        },
      },
    },
  },
});
