variable "project_id" {
  description = "GCP project that hosts videopipe."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a valid GCP project id (6-30 lowercase letters, digits, hyphens)."
  }
}

variable "region" {
  description = "Region of the cluster, buckets, registry and Cloud SQL. Must offer L4 GPUs (e.g. us-central1)."
  type        = string
  default     = "us-central1"
}

variable "gpu_zones" {
  description = "Zones of the region where the L4 GPU node pool may create nodes (L4 is not in every zone)."
  type        = list(string)
  default     = ["us-central1-a", "us-central1-b", "us-central1-c"]
  validation {
    condition     = length(var.gpu_zones) > 0
    error_message = "gpu_zones needs at least one zone."
  }
}

variable "name" {
  description = "Prefix of every resource name."
  type        = string
  default     = "videopipe"
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,18}$", var.name))
    error_message = "name must be 2-19 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "subnet_cidr" {
  description = "Primary range of the subnet (nodes)."
  type        = string
  default     = "10.10.0.0/20"
  validation {
    condition     = can(cidrhost(var.subnet_cidr, 0))
    error_message = "subnet_cidr must be a CIDR block."
  }
}

variable "pods_cidr" {
  description = "Secondary range for pods."
  type        = string
  default     = "10.20.0.0/16"
  validation {
    condition     = can(cidrhost(var.pods_cidr, 0))
    error_message = "pods_cidr must be a CIDR block."
  }
}

variable "services_cidr" {
  description = "Secondary range for services."
  type        = string
  default     = "10.30.0.0/20"
  validation {
    condition     = can(cidrhost(var.services_cidr, 0))
    error_message = "services_cidr must be a CIDR block."
  }
}

variable "master_ipv4_cidr" {
  description = "/28 range of the private GKE control plane."
  type        = string
  default     = "172.16.0.0/28"
  validation {
    condition     = can(cidrhost(var.master_ipv4_cidr, 0)) && endswith(var.master_ipv4_cidr, "/28")
    error_message = "master_ipv4_cidr must be a /28 block."
  }
}

variable "master_authorized_cidrs" {
  description = "CIDR blocks allowed to reach the Kubernetes API (your office / CI egress)."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for c in var.master_authorized_cidrs : can(cidrhost(c, 0))])
    error_message = "Every master_authorized_cidrs entry must be a CIDR block."
  }
}

variable "release_channel" {
  description = "GKE release channel."
  type        = string
  default     = "REGULAR"
  validation {
    condition     = contains(["RAPID", "REGULAR", "STABLE"], var.release_channel)
    error_message = "release_channel must be RAPID, REGULAR or STABLE."
  }
}

variable "cpu_machine_type" {
  description = "Machine type of the CPU node pool (api, CPU workers, Temporal server)."
  type        = string
  default     = "e2-standard-4"
}

variable "cpu_min_nodes" {
  description = "Minimum nodes per zone of the CPU pool (regional cluster: nodes exist in each of the region's zones used)."
  type        = number
  default     = 1
  validation {
    condition     = var.cpu_min_nodes >= 1
    error_message = "The CPU pool needs at least one node: the Temporal server and the always-on CPU worker run there."
  }
}

variable "cpu_max_nodes" {
  description = "Maximum nodes per zone of the CPU pool."
  type        = number
  default     = 5
  validation {
    condition     = var.cpu_max_nodes >= 1
    error_message = "cpu_max_nodes must be at least 1."
  }
}

variable "gpu_machine_type" {
  description = "Machine type of the GPU pool: a G2 machine (one L4 with g2-standard-4)."
  type        = string
  default     = "g2-standard-4"
  validation {
    condition     = startswith(var.gpu_machine_type, "g2-")
    error_message = "The L4 GPU is only attached to G2 machine types (g2-standard-*)."
  }
}

variable "gpu_max_nodes" {
  description = "Maximum GPU nodes in total (the pool's minimum is 0: it scales from zero)."
  type        = number
  default     = 4
  validation {
    condition     = var.gpu_max_nodes >= 1 && var.gpu_max_nodes <= 64
    error_message = "gpu_max_nodes must be between 1 and 64 (mind your L4 quota)."
  }
}

variable "gpu_spot" {
  description = "Run the GPU pool on Spot VMs (about 44 % cheaper for g2-standard-4; can be preempted with 30 s notice)."
  type        = bool
  default     = true
}

variable "gpu_driver_version" {
  description = "NVIDIA driver GKE installs on GPU nodes: LATEST (needed for the CUDA 12.6 runtime image) or DEFAULT."
  type        = string
  default     = "LATEST"
  validation {
    condition     = contains(["LATEST", "DEFAULT"], var.gpu_driver_version)
    error_message = "gpu_driver_version must be LATEST or DEFAULT."
  }
}

variable "temporal_mode" {
  description = "self_hosted: Temporal server on GKE with Cloud SQL PostgreSQL persistence; cloud: Temporal Cloud (no Cloud SQL)."
  type        = string
  default     = "self_hosted"
  validation {
    condition     = contains(["self_hosted", "cloud"], var.temporal_mode)
    error_message = "temporal_mode must be self_hosted or cloud."
  }
}

variable "temporal_cloud_address" {
  description = "Temporal Cloud gRPC endpoint (<namespace>.<account>.tmprl.cloud:7233) when temporal_mode = cloud."
  type        = string
  default     = ""
  validation {
    condition     = var.temporal_cloud_address == "" || can(regex("^[a-z0-9.-]+:[0-9]+$", var.temporal_cloud_address))
    error_message = "temporal_cloud_address must be host:port."
  }
}

variable "temporal_namespace" {
  description = "Temporal namespace of the jobs (on Temporal Cloud: <namespace>.<account>)."
  type        = string
  default     = "default"
}

variable "cloudsql_tier" {
  description = "Cloud SQL machine tier of the Temporal database (self_hosted only)."
  type        = string
  default     = "db-custom-2-7680"
}

variable "cloudsql_high_availability" {
  description = "Regional (HA) Cloud SQL instance for Temporal persistence; doubles its cost."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "Protect the cluster and the database from terraform destroy."
  type        = bool
  default     = true
}

variable "source_retention_days" {
  description = "Days an uploaded source video is kept in the sources bucket."
  type        = number
  default     = 30
  validation {
    condition     = var.source_retention_days >= 1
    error_message = "source_retention_days must be at least 1."
  }
}

variable "artifact_nearline_days" {
  description = "Days after which job artifacts move to Nearline storage."
  type        = number
  default     = 30
  validation {
    condition     = var.artifact_nearline_days >= 1
    error_message = "artifact_nearline_days must be at least 1."
  }
}

variable "artifact_retention_days" {
  description = "Days after which job artifacts are deleted (0 = keep forever)."
  type        = number
  default     = 365
  validation {
    condition     = var.artifact_retention_days >= 0
    error_message = "artifact_retention_days must be 0 or more."
  }
}

variable "labels" {
  description = "Labels put on every resource that takes labels."
  type        = map(string)
  default     = {}
}
