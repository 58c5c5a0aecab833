# PostgreSQL for Temporal persistence and visibility (temporal_mode = self_hosted). Private IP only.
resource "google_sql_database_instance" "temporal" {
  count               = local.self_hosted ? 1 : 0
  name                = "${var.name}-temporal"
  region              = var.region
  database_version    = "POSTGRES_16"
  deletion_protection = var.deletion_protection

  settings {
    tier              = var.cloudsql_tier
    edition           = "ENTERPRISE"
    availability_type = var.cloudsql_high_availability ? "REGIONAL" : "ZONAL"
    disk_type         = "PD_SSD"
    disk_size         = 20
    disk_autoresize   = true
    user_labels       = local.labels

    ip_configuration {
      ipv4_enabled    = false
      private_network = google_compute_network.vpc.id
      ssl_mode        = "ENCRYPTED_ONLY"
    }

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
      start_time                     = "03:00"
    }

    insights_config {
      query_insights_enabled = true
    }

    database_flags {
      name  = "max_connections"
      value = "400"
    }
  }

  depends_on = [google_service_networking_connection.private_services]
}

resource "google_sql_database" "temporal" {
  for_each = local.self_hosted ? toset(["temporal", "temporal_visibility"]) : toset([])
  name     = each.value
  instance = google_sql_database_instance.temporal[0].name
}

# The password is generated here and stored in Secret Manager for the Temporal Helm release. It is in Terraform
# state as well: keep the state bucket private (README, step 1).
resource "random_password" "temporal_db" {
  count   = local.self_hosted ? 1 : 0
  length  = 32
  special = false
}

resource "google_sql_user" "temporal" {
  count    = local.self_hosted ? 1 : 0
  name     = "temporal"
  instance = google_sql_database_instance.temporal[0].name
  password = random_password.temporal_db[0].result
}

resource "google_secret_manager_secret" "temporal_db_password" {
  count     = local.self_hosted ? 1 : 0
  secret_id = "videopipe-temporal-db-password"
  labels    = local.labels
  replication {
    auto {}
  }
  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret_version" "temporal_db_password" {
  count       = local.self_hosted ? 1 : 0
  secret      = google_secret_manager_secret.temporal_db_password[0].id
  secret_data = random_password.temporal_db[0].result
}
