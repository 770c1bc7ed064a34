# GPU worker node: the Ablate worker with @tensorflow/tfjs-node-gpu (libtensorflow with CUDA).
# Build from the repository root:  docker build -f infra/docker/worker-gpu.Dockerfile -t ablate-worker-gpu .
# Run one container per node:      docker run --gpus all -e ABLATE_API_URL=... -e ABLATE_WORKER_TOKEN=... ablate-worker-gpu
FROM nvidia/cuda:12.2.2-cudnn8-runtime-ubuntu22.04 AS base
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates python3 make g++ \
 && curl -fsSL https://deb.nodesource.com/setup_20.x | bash - && apt-get install -y nodejs \
 && npm install -g npm@11 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json turbo.json tsconfig.base.json ./
COPY packages ./packages
COPY apps/worker ./apps/worker
# @ablate/models is named so that its devDependencies (AssemblyScript, which compiles its wasm kernels) install too.
RUN npm ci --workspace @ablate/worker --workspace @ablate/models --include-workspace-root --no-audit --no-fund \
 # The native backend: its install script downloads libtensorflow (GPU build); it is optional
 # everywhere else, and the models package picks it first when present.
 && npm install --no-save --allow-scripts=@tensorflow/tfjs-node-gpu @tensorflow/tfjs-node-gpu@4.22.0 \
 && npx turbo run build --filter=@ablate/worker...
ENV ABLATE_ARTIFACTS_DIR=/var/lib/ablate/artifacts ABLATE_DATA_DIR=/var/cache/ablate
VOLUME ["/var/lib/ablate", "/var/cache/ablate"]
CMD ["node", "apps/worker/dist/main.js"]
