resource "google_storage_bucket" "training" {
  name                        = "claims-ml-training"
  project                     = "claims-ml"
  uniform_bucket_level_access = true
}
