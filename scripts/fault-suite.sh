#!/usr/bin/env bash
# The fault-injection, load and adversarial-media suite (JUnit tag "fault", kept out of the default build):
# builds the jar, then runs `mvn verify -pl api -Pfault`, which starts the roles from api/target/videopipe.jar.
# Reports (JSON) land in api/target/fault-report/, role logs in api/target/fault-work/*/logs/.
# Extra arguments go to Maven, e.g. -Dtest=WorkerKillTest -Dfault.seed=7 -Dfault.kills=5 -Dfault.load.jobs=100,
# or -Dmaven.repo.local=... -o. VIDEOPIPE_BOOTSTRAP_KEY, if set, is sent as X-API-Key and given to the roles.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q install -DskipTests -pl api -am "$@"
mvn -B -ntp verify -pl api -Pfault -Dsurefire.failIfNoSpecifiedTests=false "$@"
ls -l api/target/fault-report/
