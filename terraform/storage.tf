resource "random_id" "bucket_suffix" {
  byte_length = 3
}

# Source videos users upload (gs:// source URLs); the pipeline copies them into the artifacts bucket.
resource "google_storage_bucket" "sources" {
  name                        = "${var.project_id}-${var.name}-sources-${random_id.bucket_suffix.hex}"
  location                    = var.region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false
  labels                      = local.labels

  lifecycle_rule {
    condition {
      age = var.source_retention_days
    }
    action {
      type = "Delete"
    }
  }
  lifecycle_rule {
    condition {
      age = 1
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }
}

# Storage root of the pipeline (VIDEOPIPE_STORAGE_ROOT=gs://<bucket>/videopipe): jobs/<jobId>/...
resource "google_storage_bucket" "artifacts" {
  name                        = "${var.project_id}-${var.name}-artifacts-${random_id.bucket_suffix.hex}"
  location                    = var.region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false
  labels                      = local.labels

  versioning {
    enabled = false
  }

  lifecycle_rule {
    condition {
      age = var.artifact_nearline_days
    }
    action {
      type          = "SetStorageClass"
      storage_class = "NEARLINE"
    }
  }

  dynamic "lifecycle_rule" {
    for_each = var.artifact_retention_days > 0 ? [1] : []
    content {
      condition {
        age = var.artifact_retention_days
      }
      action {
        type = "Delete"
      }
    }
  }

  # Intermediate media (extracted audio, download staging) is not needed once a job has ended.
  lifecycle_rule {
    condition {
      age            = 7
      matches_prefix = ["videopipe/jobs/"]
      matches_suffix = ["/audio/audio.wav"]
    }
    action {
      type = "Delete"
    }
  }
}

# Model files (the Parakeet-TDT ONNX export under parakeet/), mounted read-only into GPU workers by GCS FUSE.
resource "google_storage_bucket" "models" {
  name                        = "${var.project_id}-${var.name}-models-${random_id.bucket_suffix.hex}"
  location                    = var.region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false
  labels                      = local.labels
}
