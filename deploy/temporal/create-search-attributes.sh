#!/bin/sh
# Prepares a Temporal namespace for videopipe: creates the namespace if missing and registers the custom search
# attributes the workflow upserts (source of truth: workflows/.../pipeline/SearchAttributes.java, definitions()).
# A workflow that upserts an unregistered attribute fails its workflow task, so this runs before any worker starts.
# Idempotent. Runs in temporalio/admin-tools (compose service temporal-setup, Kubernetes Job temporal-setup) or
# anywhere the `temporal` CLI is installed:
#   TEMPORAL_ADDRESS=host:7233 TEMPORAL_NAMESPACE=default sh deploy/temporal/create-search-attributes.sh
# Temporal Cloud: create the attributes in the Cloud UI or with tcld (the operator API is not open to API keys there).
set -eu
address="${TEMPORAL_ADDRESS:-temporal:7233}"
namespace="${TEMPORAL_NAMESPACE:-default}"
retention="${TEMPORAL_NAMESPACE_RETENTION:-72h}"
attempts="${TEMPORAL_WAIT_ATTEMPTS:-60}"

# name type (one per line; types as the CLI spells them)
ATTRIBUTES='
VpStep Keyword
VpEngine Keyword
VpPriority Int
VpCostUsd Double
VpStatus Keyword
VpRoute Text
VpTenant Keyword
'

i=0
until temporal operator cluster health --address "$address" 2>/dev/null | grep -q SERVING; do
  i=$((i + 1))
  if [ "$i" -ge "$attempts" ]; then
    echo "Temporal at $address is not SERVING after $attempts attempts" >&2
    exit 1
  fi
  sleep 2
done
echo "Temporal at $address is SERVING"

if temporal operator namespace describe --address "$address" --namespace "$namespace" >/dev/null 2>&1; then
  echo "namespace $namespace exists"
else
  temporal operator namespace create --address "$address" --namespace "$namespace" --retention "$retention"
  echo "created namespace $namespace (retention $retention)"
fi

existing="$(temporal operator search-attribute list --address "$address" --namespace "$namespace")"
echo "$ATTRIBUTES" | while read -r name type; do
  [ -n "$name" ] || continue
  if echo "$existing" | grep -qw "$name"; then
    echo "search attribute $name exists"
  else
    temporal operator search-attribute create --address "$address" --namespace "$namespace" \
      --name "$name" --type "$type"
    echo "created search attribute $name ($type)"
  fi
done

# Verify: every attribute is listed now (a create that silently did nothing fails here, not in the first job).
listed="$(temporal operator search-attribute list --address "$address" --namespace "$namespace")"
missing=0
for name in $(echo "$ATTRIBUTES" | awk 'NF == 2 { print $1 }'); do
  echo "$listed" | grep -qw "$name" || { echo "search attribute $name is missing" >&2; missing=1; }
done
[ "$missing" -eq 0 ]
echo "namespace $namespace is ready for videopipe"
