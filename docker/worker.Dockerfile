# syntax=docker/dockerfile:1
# The worker images, built from the sources; the build context is the repository root. Two targets:
#   GPU (the default):  docker build -f docker/worker.Dockerfile --target gpu -t flowrecon/worker:gpu .
#   CPU:                docker build -f docker/worker.Dockerfile --target cpu -t flowrecon/worker:cpu .
# gpu builds with the gpu Maven profile (ONNX Runtime's CUDA 12 build, onnxruntime_gpu; see the root pom) and
# runs on CUDA 12 + cuDNN 9, which that build loads for its CUDA execution provider. cpu is the plain build on a JRE.
ARG JDK_IMAGE=eclipse-temurin:17-jdk
ARG JRE_IMAGE=eclipse-temurin:17-jre
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04

FROM ${JDK_IMAGE} AS sources
WORKDIR /src
COPY . .

FROM sources AS build-cpu
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -DskipTests -pl worker -am package \
 && mkdir /out && cp -r worker/target/lib /out/lib && cp worker/target/flowrecon-worker-*.jar /out/flowrecon-worker.jar

FROM sources AS build-gpu
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -Pgpu -DskipTests -pl worker -am package \
 && ls worker/target/lib/onnxruntime_gpu-*.jar >/dev/null \
 && mkdir /out && cp -r worker/target/lib /out/lib && cp worker/target/flowrecon-worker-*.jar /out/flowrecon-worker.jar

FROM ${JRE_IMAGE} AS cpu
# A numeric, non-root user, so that Kubernetes' runAsNonRoot can check it without a passwd lookup.
RUN groupadd --gid 1001 flowrecon \
 && useradd --uid 1001 --gid 1001 --home-dir /app --no-create-home --shell /usr/sbin/nologin flowrecon
WORKDIR /app
COPY --from=build-cpu /out/ ./
COPY models/ models/
ENV FLOWRECON_MODELS_DIR=/app/models \
    FLOWRECON_EXECUTION_PROVIDER=cpu \
    OMP_WAIT_POLICY=PASSIVE
EXPOSE 8081
USER 1001:1001
# Writes nothing outside /tmp (ONNX Runtime unpacks its native libraries there): the root filesystem can be read-only.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "flowrecon-worker.jar:lib/*", "io.flowrecon.worker.cli.FlowreconCli", "worker"]

FROM ${CUDA_IMAGE} AS gpu
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 1001 flowrecon \
 && useradd --uid 1001 --gid 1001 --home-dir /app --no-create-home --shell /usr/sbin/nologin flowrecon
WORKDIR /app
COPY --from=build-gpu /out/ ./
COPY models/ models/
ENV FLOWRECON_MODELS_DIR=/app/models \
    FLOWRECON_EXECUTION_PROVIDER=cuda \
    OMP_WAIT_POLICY=PASSIVE
EXPOSE 8081
USER 1001:1001
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "flowrecon-worker.jar:lib/*", "io.flowrecon.worker.cli.FlowreconCli", "worker"]
