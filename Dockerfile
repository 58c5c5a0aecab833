# syntax=docker/dockerfile:1.7
#
# videopipe CPU image: one jar, the role is the Spring profile (SPRING_PROFILES_ACTIVE = api | cpu-worker | local).
#   docker build -t videopipe:dev .
#   docker run --rm -p 8080:8080 --read-only --tmpfs /tmp:exec -v vp-data:/data videopipe:dev     # local role
# The GPU worker has its own image (Dockerfile.gpu: CUDA 12 + cuDNN 9, built with -Pgpu).
#
# Base images are pinned by version. For production, pin them by digest as well (image@sha256:...) and let a bot
# (Renovate / Dependabot) bump both; a tag can be re-pushed, a digest cannot.
ARG MAVEN_IMAGE=maven:3.9.9-eclipse-temurin-17
ARG JRE_IMAGE=eclipse-temurin:17.0.15_6-jre-jammy

############################## build ##############################
FROM ${MAVEN_IMAGE} AS build
# Extra Maven arguments, e.g. --build-arg MAVEN_ARGS="-Djavacpp.platform=linux-arm64" for an arm64 image.
ARG MAVEN_ARGS=""
WORKDIR /src
COPY pom.xml ./
COPY workflows/pom.xml workflows/
COPY shared/pom.xml shared/
COPY activities-cpu/pom.xml activities-cpu/
COPY activities-gpu/pom.xml activities-gpu/
COPY api/pom.xml api/
COPY workflows/src workflows/src
COPY shared/src shared/src
COPY activities-cpu/src activities-cpu/src
COPY activities-gpu/src activities-gpu/src
COPY api/src api/src
# Tests run in CI (mvn -B verify), not in the image build. Only the javacpp.platform natives are packaged.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests ${MAVEN_ARGS} -pl api -am package
# Spring Boot layers (dependencies change rarely, the application often) so a code change rebuilds one small layer;
# the Vosk model is unpacked once here, so the container never writes it at run time (read-only root filesystem).
RUN java -Djarmode=tools -jar api/target/videopipe.jar extract --layers --launcher --destination /layers \
 && mkdir -p /vosk \
 && cd /vosk \
 && jar xf /layers/dependencies/BOOT-INF/lib/vosk-model-en-0.3.45.aar assets/model-en-us \
 && mv assets/model-en-us /vosk/model-en-us \
 && rm -rf assets \
 && test -f /vosk/model-en-us/conf/model.conf

############################## runtime ##############################
FROM ${JRE_IMAGE} AS runtime
ARG VIDEOPIPE_UID=10001
# curl for the health check; nothing else is added to the JRE image.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid ${VIDEOPIPE_UID} videopipe \
 && useradd --system --uid ${VIDEOPIPE_UID} --gid videopipe --home-dir /home/videopipe --create-home \
      --shell /usr/sbin/nologin videopipe \
 && mkdir -p /data /var/cache/videopipe \
 && chown videopipe:videopipe /data /var/cache/videopipe
WORKDIR /app
COPY --from=build /vosk/model-en-us /opt/videopipe/vosk-model-en-us
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
COPY deploy/docker/healthcheck.sh /usr/local/bin/videopipe-healthcheck

# Writable paths (mount them as volumes / tmpfs with a read-only root filesystem):
#   /data                   storage root and work dir (a shared volume in compose; gs:// + emptyDir on GKE)
#   /tmp                    JVM temp files, JNA and ONNX Runtime native libraries: must NOT be mounted noexec
#   /var/cache/videopipe    FFmpeg natives extracted by JavaCPP (exec needed as well)
# JVM flags sized for containers: heap from the cgroup memory limit, exit (and be restarted) on OutOfMemoryError.
# VIDEOPIPE_BIND_ADDRESS: the local role binds 127.0.0.1 by default; in a container the published port decides who
# reaches it, so it listens on the container's interfaces.
# MALLOC_ARENA_MAX=2: glibc gives each thread that touches native memory (FFmpeg, ONNX Runtime, Vosk) its own
# malloc arena and rarely returns it; capping them kept a 120-min job's peak RSS at 897 MiB instead of 1101 MiB
# (docs/performance.md, the grid's 120-min point), and that job was no slower.
ENV SPRING_PROFILES_ACTIVE=api \
    MALLOC_ARENA_MAX=2 \
    VIDEOPIPE_BIND_ADDRESS=0.0.0.0 \
    VIDEOPIPE_STORAGE_ROOT=/data \
    VIDEOPIPE_WORK_DIR=/data/work \
    VOSK_MODEL_DIR=/opt/videopipe/vosk-model-en-us \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=25 -XX:+ExitOnOutOfMemoryError -XX:+UseG1GC -Djava.io.tmpdir=/tmp -Dorg.bytedeco.javacpp.cachedir=/var/cache/videopipe/javacpp -Djna.tmpdir=/tmp"
USER ${VIDEOPIPE_UID}:${VIDEOPIPE_UID}
VOLUME ["/data"]
# api and local: 8080; cpu-worker: 8081; gpu-worker: 8082 (health and metrics only)
EXPOSE 8080 8081 8082
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=5 CMD ["/usr/local/bin/videopipe-healthcheck"]
# exec: the JVM replaces the shell as PID 1 and gets SIGTERM itself (graceful shutdown lets running activities end).
ENTRYPOINT ["/bin/sh", "-c", "exec java $JAVA_OPTS org.springframework.boot.loader.launch.JarLauncher \"$@\"", "videopipe"]
CMD ["serve"]
