import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the API server at /admin (so `npm start` shows it); `npm run dev -w admin` proxies the API.
export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  build: { outDir: 'dist', chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
