resource "google_storage_bucket" "extracts" {
  name = "claims-ml-extracts"
  lifecycle_rule {
    condition { age = 730 }
    action { type = "Delete" }
  }
}
