# Scheduler + dashboard image (no TensorFlow). Build from the repository root:
#   docker build -f infra/docker/server.Dockerfile -t ablate-server .
FROM node:20-bookworm-slim
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npx turbo run build --filter=@ablate/scheduler... --filter=@ablate/dashboard...
ENV ABLATE_API_HOST=0.0.0.0
EXPOSE 4000 3000
CMD ["node", "apps/scheduler/dist/main.js"]
