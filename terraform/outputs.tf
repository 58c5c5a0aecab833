output "cluster_name" {
  description = "GKE cluster name (gcloud container clusters get-credentials <name> --region <region>)."
  value       = google_container_cluster.main.name
}

output "region" {
  description = "Region of every regional resource."
  value       = var.region
}

output "registry" {
  description = "Artifact Registry path to push images to (REGISTRY in deploy/k8s)."
  value       = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}"
}

output "sources_bucket" {
  description = "Bucket for uploaded source videos."
  value       = google_storage_bucket.sources.name
}

output "artifacts_bucket" {
  description = "Bucket of the pipeline's storage root (ARTIFACTS_BUCKET in deploy/k8s)."
  value       = google_storage_bucket.artifacts.name
}

output "models_bucket" {
  description = "Bucket holding the Parakeet export under parakeet/ (MODELS_BUCKET in deploy/k8s)."
  value       = google_storage_bucket.models.name
}

output "temporal_address" {
  description = "TEMPORAL_ADDRESS for the manifests: the in-cluster frontend (self_hosted) or Temporal Cloud."
  value       = local.temporal_address
}

output "temporal_db_host" {
  description = "Private IP of the Temporal PostgreSQL instance (self_hosted), for the Temporal Helm values."
  value       = local.self_hosted ? google_sql_database_instance.temporal[0].private_ip_address : null
}

output "temporal_db_password_secret" {
  description = "Secret Manager secret holding the Temporal database password (self_hosted)."
  value       = local.self_hosted ? google_secret_manager_secret.temporal_db_password[0].secret_id : null
}

output "workload_service_accounts" {
  description = "Google service accounts bound to the Kubernetes service accounts by Workload Identity."
  value       = { for k, sa in google_service_account.workload : k => sa.email }
}

output "manifest_env" {
  description = "Variables for `envsubst` on deploy/k8s (eval \"$(terraform output -raw manifest_env)\")."
  value = join("\n", [
    "export PROJECT_ID=${var.project_id}",
    "export REGISTRY=${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}",
    "export ARTIFACTS_BUCKET=${google_storage_bucket.artifacts.name}",
    "export MODELS_BUCKET=${google_storage_bucket.models.name}",
    "export TEMPORAL_ADDRESS=${local.temporal_address}",
    "export TEMPORAL_NAMESPACE=${var.temporal_namespace}",
  ])
}
