# Placeholder: the shipping issue replaces this with a multi-stage build (Node 24, production
# dependencies only, non-root user, `node dist/main.js`).
FROM node:24-slim
WORKDIR /app
COPY . .
RUN npm ci && npm run build
USER node
CMD ["node", "dist/main.js"]
