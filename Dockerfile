# One image for every Ponte service; docker-compose.yml picks the entry file per service.
FROM node:24-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts
COPY demo ./demo
COPY schema ./schema
COPY kit ./kit
COPY subgraphs ./subgraphs
COPY gateway ./gateway
COPY sandboxes ./sandboxes
ENV NODE_ENV=production
USER node
