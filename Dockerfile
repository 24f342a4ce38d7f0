# Multi-stage build: compile and shade with Maven, run on a small JRE.
# (Written without a Docker engine at hand: build with `docker build -t grouprelay .`)
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY ldif ldif
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /opt/grouprelay --shell /usr/sbin/nologin grouprelay
WORKDIR /opt/grouprelay
COPY --from=build /src/target/grouprelay.jar lib/grouprelay.jar
COPY ldif ldif
COPY conf conf
RUN mkdir -p data && chown -R grouprelay:grouprelay /opt/grouprelay
USER grouprelay
# In a container the listeners must bind all interfaces: set directory.ldap.host 0.0.0.0 in the mounted config.
VOLUME ["/opt/grouprelay/data", "/opt/grouprelay/conf"]
EXPOSE 10389 10636
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/grouprelay/lib/grouprelay.jar"]
CMD ["serve", "--config", "conf/grouprelay.yaml"]
