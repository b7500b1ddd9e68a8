# The images docker-compose.yml builds from this repository: the node and the load generator.
# Every stage starts from debian:bookworm-slim and takes its JDK, JRE and Maven from Debian, so the
# compose lab runs the same Java as the native one (./lab), and the image builds on a machine that
# reaches the Debian archive and Maven Central but no image registry (./lab base-image makes
# debian:bookworm-slim there with debootstrap).
#
# The jars are built here, not on the host, so `docker compose up --build` needs nothing but Docker.
# Dependencies are cached in an image layer of their own: a first `mvn package` against the poms
# alone (empty sources) fills ~/.m2, and only a pom change invalidates it. BuildKit's cache mounts
# would keep them across pom changes too, but docker-compose 1.29 (Debian's) builds with the classic
# builder, which refuses `RUN --mount`.

FROM debian:bookworm-slim AS maven
# A TLS-intercepting proxy's CA, where the host has one (docker/ca-certificates/README.md).
COPY docker/ca-certificates/ /usr/local/share/ca-certificates/
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless maven >/dev/null \
 && update-ca-certificates >/dev/null \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pom.xml ./
COPY settings/pom.xml settings/
COPY launcher/pom.xml launcher/
COPY server/pom.xml server/
COPY loadtest/pom.xml loadtest/
RUN mvn -B -q -Dmaven.test.skip=true -pl server -am package >/dev/null

FROM maven AS build
COPY settings/src settings/src
COPY launcher/src launcher/src
COPY server/src server/src
RUN mvn -B -q -Dmaven.test.skip=true -pl server -am package

# The node. Same JVM flags as the native launcher (LabTopology; ComposeFileTest holds them equal).
# curl is for the healthcheck: a compose healthcheck runs in the image's own shell, and dash (sh)
# has no /dev/tcp.
FROM debian:bookworm-slim AS node
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless curl >/dev/null \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/server/target/wslab-server.jar /opt/wslab/wslab-server.jar
COPY docker/node-entrypoint /opt/wslab/node-entrypoint
ENV WSLAB_HOST=0.0.0.0 LANG=C.UTF-8
HEALTHCHECK --interval=2s --timeout=2s --retries=30 CMD curl -fsS -o /dev/null "http://127.0.0.1:${WSLAB_PORT:-9001}/health" || exit 1
ENTRYPOINT ["/opt/wslab/node-entrypoint", "java", "-Xms64m", "-Xmx512m", "-XX:+UseG1GC", "-jar", "/opt/wslab/wslab-server.jar"]

# The load generator and the comparison runner (`docker compose run --rm loadtest compare --quick`).
FROM maven AS loadtest-build
RUN mvn -B -q -Dmaven.test.skip=true -pl loadtest -am package >/dev/null
COPY settings/src settings/src
COPY launcher/src launcher/src
COPY loadtest/src loadtest/src
# The runner starts Gatling in a child JVM on loadtest/target/classpath.txt (GatlingRun): here the
# dependencies are copied into the image, and the file names them with a classpath wildcard.
RUN mvn -B -q -Dmaven.test.skip=true -pl loadtest -am package dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory=/opt/wslab/lib

FROM debian:bookworm-slim AS loadtest
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null \
 && rm -rf /var/lib/apt/lists/*
COPY --from=loadtest-build /opt/wslab/lib /opt/wslab/lib
COPY --from=loadtest-build /src/loadtest/target/classes /opt/wslab/loadtest/target/classes
RUN echo '/opt/wslab/lib/*' > /opt/wslab/loadtest/target/classpath.txt
ENV LANG=C.UTF-8
COPY docker/loadtest-entrypoint /opt/wslab/loadtest-entrypoint
WORKDIR /opt/wslab
ENTRYPOINT ["/opt/wslab/loadtest-entrypoint"]
CMD ["help"]
