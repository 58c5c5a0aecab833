terraform {
  required_version = ">= 1.6"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.20"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }

  # State in a GCS bucket created beforehand (terraform/README.md, step 1):
  # terraform init -backend-config="bucket=<state-bucket>" -backend-config="prefix=videopipe"
  backend "gcs" {}
}

provider "google" {
  project = var.project_id
  region  = var.region
}
