# Scheduler + dashboard image (no TensorFlow). Build from the repository root:
#   docker build -f infra/docker/server.Dockerfile -t ablate-server .
#
# The scheduler listens on 127.0.0.1 unless told otherwise, and binding beyond the loopback needs
# ABLATE_ALLOW_REMOTE=true: user routes have no authentication until teams exist (docs/deployment.md).
# Inside a container the loopback is the container's own, so to serve other containers set both,
# and publish the port on the host's loopback only:
#   docker run -e ABLATE_API_HOST=0.0.0.0 -e ABLATE_ALLOW_REMOTE=true -p 127.0.0.1:4000:4000 ... ablate-server
FROM node:20-bookworm-slim
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npx turbo run build --filter=@ablate/scheduler... --filter=@ablate/dashboard...
EXPOSE 4000 3000
CMD ["node", "apps/scheduler/dist/main.js"]
