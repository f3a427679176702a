resource "google_cloud_run_service_iam_member" "scoring" {
  service = "claims-scoring"
  role    = "roles/run.invoker"
  member  = "serviceAccount:adjuster-portal@claims.iam.gserviceaccount.com"
}
