import type { NextConfig } from 'next';

// Default output: the CLI runs `next start` on this build. The scheduler URL is read from the
// environment at request time (see modules/scheduler/scheduler-config.ts), never baked in.
const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
};

export default nextConfig;
