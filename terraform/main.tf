locals {
  self_hosted = var.temporal_mode == "self_hosted"
  labels      = merge({ app = "videopipe", managed-by = "terraform" }, var.labels)
  # what the Kubernetes manifests get as TEMPORAL_ADDRESS
  temporal_address = local.self_hosted ? "temporal-frontend.temporal.svc.cluster.local:7233" : var.temporal_cloud_address
}

resource "google_project_service" "apis" {
  for_each = toset([
    "artifactregistry.googleapis.com",
    "compute.googleapis.com",
    "container.googleapis.com",
    "iam.googleapis.com",
    "secretmanager.googleapis.com",
    "servicenetworking.googleapis.com",
    "sqladmin.googleapis.com",
    "storage.googleapis.com",
  ])
  service            = each.value
  disable_on_destroy = false
}

check "temporal_cloud_address_set" {
  assert {
    condition     = local.self_hosted || var.temporal_cloud_address != ""
    error_message = "temporal_mode = cloud needs temporal_cloud_address."
  }
}
