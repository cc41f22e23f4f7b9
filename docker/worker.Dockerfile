# The worker image. GPU (default): CUDA 12 + cuDNN 9 runtime for ONNX Runtime's CUDA execution provider;
# build the project with the gpu profile first:  ./mvnw -B -Pgpu -DskipTests package
#   docker build -f docker/worker.Dockerfile -t flowrecon/worker .
# CPU:  ./mvnw -B -DskipTests package &&
#   docker build -f docker/worker.Dockerfile --build-arg BASE=eclipse-temurin:17-jre -t flowrecon/worker:cpu .
ARG BASE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04
FROM ${BASE}
RUN if ! command -v java >/dev/null; then \
      apt-get update && apt-get install -y --no-install-recommends openjdk-17-jre-headless && rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /app
COPY worker/target/lib/ lib/
COPY worker/target/flowrecon-worker-*.jar ./
COPY models/ models/
ENV FLOWRECON_MODELS_DIR=/app/models \
    OMP_WAIT_POLICY=PASSIVE
EXPOSE 8081
ENTRYPOINT ["sh", "-c", "exec java -XX:MaxRAMPercentage=75 -cp \"$(ls flowrecon-worker-*.jar):lib/*\" io.flowrecon.worker.cli.FlowreconCli worker"]
