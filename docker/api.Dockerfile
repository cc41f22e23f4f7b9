# syntax=docker/dockerfile:1
# The API image, built from the sources; the build context is the repository root:
#   docker build -f docker/api.Dockerfile -t flowrecon/api .
ARG JDK_IMAGE=eclipse-temurin:17-jdk
ARG JRE_IMAGE=eclipse-temurin:17-jre

FROM ${JDK_IMAGE} AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -DskipTests -pl api -am package

FROM ${JRE_IMAGE}
# A numeric, non-root user, so that Kubernetes' runAsNonRoot can check it without a passwd lookup.
RUN groupadd --gid 1001 flowrecon \
 && useradd --uid 1001 --gid 1001 --home-dir /app --no-create-home --shell /usr/sbin/nologin flowrecon
WORKDIR /app
COPY --from=build /src/api/target/quarkus-app/ ./
COPY models/ models/
ENV FLOWRECON_MODELS_DIR=/app/models
EXPOSE 8080
USER 1001:1001
# Writes nothing outside /tmp (uploads, Vert.x cache): the root filesystem can be read-only.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "quarkus-run.jar"]
