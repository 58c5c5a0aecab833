#!/bin/sh
# Container health check of every HTTP role: the Spring readiness probe on the role's port.
# api and local listen on 8080, cpu-worker on 8081, gpu-worker on 8082 (application-*.yml); SERVER_PORT overrides.
set -eu
case ",${SPRING_PROFILES_ACTIVE:-local}," in
  *,cpu-worker,*) port=8081 ;;
  *,gpu-worker,*) port=8082 ;;
  *) port=8080 ;;
esac
exec curl --fail --silent --show-error --max-time 4 \
  "http://127.0.0.1:${SERVER_PORT:-$port}/actuator/health/readiness" -o /dev/null
