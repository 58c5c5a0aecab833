# Secret containers only: the values are added out of band, so they never enter Terraform state or files:
#   printf %s "$DEEPGRAM_API_KEY" | gcloud secrets versions add videopipe-deepgram-api-key --data-file=-
resource "google_secret_manager_secret" "deepgram_api_key" {
  secret_id = "videopipe-deepgram-api-key"
  labels    = local.labels
  replication {
    auto {}
  }
  depends_on = [google_project_service.apis]
}

# Keys clients present to the REST API (one per line).
resource "google_secret_manager_secret" "api_keys" {
  secret_id = "videopipe-api-keys"
  labels    = local.labels
  replication {
    auto {}
  }
  depends_on = [google_project_service.apis]
}

# Temporal Cloud API key (temporal_mode = cloud).
resource "google_secret_manager_secret" "temporal_cloud_api_key" {
  count     = local.self_hosted ? 0 : 1
  secret_id = "videopipe-temporal-cloud-api-key"
  labels    = local.labels
  replication {
    auto {}
  }
  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret_iam_member" "deepgram_cpu" {
  secret_id = google_secret_manager_secret.deepgram_api_key.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.workload["videopipe-worker-cpu"].email}"
}

resource "google_secret_manager_secret_iam_member" "api_keys_api" {
  secret_id = google_secret_manager_secret.api_keys.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.workload["videopipe-api"].email}"
}

resource "google_secret_manager_secret_iam_member" "temporal_cloud" {
  for_each  = local.self_hosted ? {} : local.workloads
  secret_id = google_secret_manager_secret.temporal_cloud_api_key[0].id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.workload[each.key].email}"
}
