# Least privilege: nodes only log, report metrics and pull images; each role's pods get their own Google service
# account through Workload Identity, with access to exactly the buckets and secrets that role uses.

resource "google_service_account" "nodes" {
  account_id   = "${var.name}-nodes"
  display_name = "videopipe GKE nodes"
}

resource "google_project_iam_member" "nodes" {
  for_each = toset([
    "roles/logging.logWriter",
    "roles/monitoring.metricWriter",
    "roles/monitoring.viewer",
    "roles/stackdriver.resourceMetadata.writer",
    "roles/autoscaling.metricsWriter",
  ])
  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.nodes.email}"
}

resource "google_artifact_registry_repository_iam_member" "nodes_pull" {
  location   = google_artifact_registry_repository.images.location
  repository = google_artifact_registry_repository.images.name
  role       = "roles/artifactregistry.reader"
  member     = "serviceAccount:${google_service_account.nodes.email}"
}

locals {
  # Google service account id => Kubernetes service account in namespace videopipe (deploy/k8s/serviceaccounts.yaml)
  workloads = {
    "videopipe-api"        = "videopipe-api"
    "videopipe-worker-cpu" = "videopipe-worker-cpu"
    "videopipe-worker-gpu" = "videopipe-worker-gpu"
  }
}

resource "google_service_account" "workload" {
  for_each     = local.workloads
  account_id   = each.key
  display_name = "videopipe ${each.value} (Workload Identity)"
}

resource "google_service_account_iam_member" "workload_identity" {
  for_each           = local.workloads
  service_account_id = google_service_account.workload[each.key].name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${var.project_id}.svc.id.goog[videopipe/${each.value}]"

  depends_on = [google_container_cluster.main]
}

# api: reads job artifacts (result views) only.
resource "google_storage_bucket_iam_member" "api_artifacts" {
  bucket = google_storage_bucket.artifacts.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.workload["videopipe-api"].email}"
}

# CPU worker: reads sources, reads/writes/deletes artifacts (compensation deletes a failed job's files).
resource "google_storage_bucket_iam_member" "cpu_sources" {
  bucket = google_storage_bucket.sources.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.workload["videopipe-worker-cpu"].email}"
}

resource "google_storage_bucket_iam_member" "cpu_artifacts" {
  bucket = google_storage_bucket.artifacts.name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.workload["videopipe-worker-cpu"].email}"
}

# Signed URLs for Deepgram (URL form for big files) are signed with the worker's own identity (signBlob on itself).
resource "google_service_account_iam_member" "cpu_sign_self" {
  service_account_id = google_service_account.workload["videopipe-worker-cpu"].name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:${google_service_account.workload["videopipe-worker-cpu"].email}"
}

# GPU worker: reads/writes artifacts (audio in, transcript out), reads the models bucket.
resource "google_storage_bucket_iam_member" "gpu_artifacts" {
  bucket = google_storage_bucket.artifacts.name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.workload["videopipe-worker-gpu"].email}"
}

resource "google_storage_bucket_iam_member" "gpu_models" {
  bucket = google_storage_bucket.models.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.workload["videopipe-worker-gpu"].email}"
}
