# The API image: build the project first (./mvnw -B -DskipTests package), then
#   docker build -f docker/api.Dockerfile -t flowrecon/api .
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY api/target/quarkus-app/lib/ lib/
COPY api/target/quarkus-app/*.jar ./
COPY api/target/quarkus-app/app/ app/
COPY api/target/quarkus-app/quarkus/ quarkus/
COPY models/ models/
ENV FLOWRECON_MODELS_DIR=/app/models
EXPOSE 8080
USER 1001
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "quarkus-run.jar"]
