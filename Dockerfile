# Multi-stage build: compile and shade with Maven, run on a small JRE as a non-root user. The image gets the
# production jar, target/grouprelay.jar; the demo jar (with the demo's MariaDB) is not built.
# (Written without a Docker engine at hand: build with `docker build -t grouprelay .`; see docs/deploy.md.)
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY ldif ldif
COPY conf/keycloak conf/keycloak
# the production jar only: no demo jar (-Ddemo.jar.phase=none), so no jar-size report either (-Dmaven.antrun.skip)
RUN mvn -B -q -DskipTests -Ddemo.jar.phase=none -Dmaven.antrun.skip package

FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /opt/grouprelay --shell /usr/sbin/nologin grouprelay
WORKDIR /opt/grouprelay
COPY --from=build /src/target/grouprelay.jar lib/grouprelay.jar
COPY ldif ldif
COPY conf conf
RUN mkdir -p data && chown -R grouprelay:grouprelay /opt/grouprelay
USER grouprelay
# In a container the listeners must bind all interfaces: set directory.ldap.host 0.0.0.0 in the mounted config,
# and ops.http.enabled: true (host 0.0.0.0 to let Prometheus scrape from outside) for the health check below.
VOLUME ["/opt/grouprelay/data", "/opt/grouprelay/conf"]
EXPOSE 10389 10636 9464
# The JRE image has neither curl nor wget: a one-class Java probe asks GET /health (200 healthy, else 503 with
# the reasons) at $GROUPRELAY_HEALTH_URL, default http://127.0.0.1:9464/health. /health binds over LDAP (at most
# 5 s) and queries Seafile's database (at most seafile.deadlineMillis), so 15 s is ample.
ENV GROUPRELAY_HEALTH_URL=http://127.0.0.1:9464/health
HEALTHCHECK --interval=30s --timeout=15s --start-period=60s --retries=3 \
  CMD ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx32m", "-cp", "/opt/grouprelay/lib/grouprelay.jar", "org.grouprelay.ops.HealthProbe"]
# SIGTERM (docker stop) stops LDAP, then waits up to ops.drainSeconds (default 10) for queued changes to reach
# Seafile: give it more than Docker's default 10 s, e.g. `docker stop -t 30` or compose `stop_grace_period: 30s`.
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/grouprelay/lib/grouprelay.jar"]
CMD ["serve", "--config", "conf/grouprelay.yaml"]
