import type { NextConfig } from 'next';

// Default output: the CLI runs `next start` on this build. The scheduler URL is read from the
// environment at request time (see modules/scheduler/scheduler-config.ts), never baked in.
// NEXT_DIST_DIR lets two builds live side by side (e.g. engineers testing branches in one tree);
// `ablate up` reads the same variable.
const nextConfig: NextConfig = {
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  reactStrictMode: true,
  poweredByHeader: false,
};

export default nextConfig;
