# Huoyue: API, staff console (/admin/) and the member H5 app (/) in one image. See docs/scale-out.md.
# Not built on the project machine (no container runtime there): kept simple, every step is what npm scripts do.

# ---- build: every workspace compiled, the console and the H5 app built ----
FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles from source when no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
# `npm ci` runs the root `prepare` script, i.e. `npm run build`; run it again explicitly so a cache hit cannot skip it.
RUN npm ci && npm run build

# ---- deps: production dependencies of the server and the shared contract only ----
FROM node:20-bookworm-slim AS deps
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY server/package.json server/package.json
COPY shared/package.json shared/package.json
COPY admin/package.json admin/package.json
COPY miniapp/package.json miniapp/package.json
COPY tests/package.json tests/package.json
COPY scripts/package.json scripts/package.json
# --ignore-scripts skips the root `prepare` (a full build); the one native module is then built on its own.
RUN npm ci --omit=dev -w server -w shared --ignore-scripts && npm rebuild better-sqlite3

# ---- runtime: node, the built files, no compilers, not root ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0 DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/shared/package.json ./shared/package.json
COPY --from=build /app/shared/dist ./shared/dist
COPY --from=build /app/server/package.json ./server/package.json
COPY --from=build /app/server/dist ./server/dist
# The server serves these from the repository layout: admin/dist at /admin/, miniapp/dist/h5 at /.
COPY --from=build /app/admin/dist ./admin/dist
COPY --from=build /app/miniapp/dist/h5 ./miniapp/dist/h5
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The server handles SIGTERM itself (drain, finish requests, release leases): run node directly, as PID 1.
CMD ["node", "--enable-source-maps", "server/dist/main.js"]
