# syntax=docker/dockerfile:1
#
# The GitHub App as a container:
#
#   docker build -t review-reviewer .
#   docker run -d --name review-reviewer -p 3000:3000 \
#     -v "$PWD/.env:/app/.env:ro" -v review-reviewer-data:/data review-reviewer
#   docker stop -t 30 review-reviewer
#
# The app reads /app/.env as `npm start` reads .env (quotes and \n escapes
# included), so the .env the setup page wrote works as it is; it must be
# readable by uid 1000 (node). `--env-file` passes values literally; the app
# unquotes the setup page's quoted PRIVATE_KEY itself. Register the app
# before: /app is read-only to the app, so the setup page cannot write its
# .env there. `docker exec review-reviewer node dist/cli/bin.js doctor` says
# what is on.
#
# Stop with a timeout above 20 s (`docker stop -t 30`, Compose
# `stop_grace_period: 30s`): on SIGTERM the app stops taking webhooks and gives
# running jobs up to 20 s before it closes the store, and Docker's default 10 s
# would SIGKILL it half way.
#
# test/process/dockerfile.test.ts runs these stages without Docker (in temp
# folders, with the machine's Node) and starts the result.

# One Node major for every stage; package.json "engines" says >=22.
ARG NODE_VERSION=22

# Production dependencies, with their install scripts. re2 (loaded at start-up)
# is a native addon: its install script downloads a prebuilt binary from GitHub
# and, when there is none for this platform or no network, compiles it with
# node-gyp, which needs python3, make and g++. Those stay in this stage.
FROM node:${NODE_VERSION}-bookworm-slim AS deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Why --ignore-scripts and then `npm rebuild`: `npm ci` also runs this
# package's own `prepare` script (the TypeScript build, there for installs from
# git), which needs src/ and the dev dependencies. `npm rebuild` runs only the
# dependencies' install scripts (re2's build). So this layer, the slow one,
# depends on the lockfile alone and is reused while only the sources change.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts \
 && npm rebuild

# The TypeScript build, with the dev dependencies (type definitions). The
# compiler loads no native addon, so install scripts are not needed here.
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# The image: production node_modules, the compiled app, and what it reads at
# run time (package.json says "type": "module"; app.yml is the manifest the
# setup page registers; checks/ is the built-in check catalogue). No compiler,
# no npm cache, no sources. The files belong to root: the app cannot rewrite itself.
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json app.yml ./
COPY checks ./checks
# The store's directory, writable by the unprivileged user the app runs as; a
# named volume mounted here starts with this ownership. /app/data points at it,
# so the app's default and .env.example's DATA_DIR=./data land on the volume
# too (a .env value wins over the ENV above).
RUN mkdir -p /data && chown node:node /data && ln -s /data /app/data
USER node
VOLUME ["/data"]
EXPOSE 3000
# Probot answers GET /ping. Slim images have no curl; Node has fetch.
# dist/healthcheck.js reads PORT as the app does (a mounted .env wins).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "dist/healthcheck.js"]
# Exec form, so node is PID 1 and receives the SIGTERM itself (no shell in between).
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
