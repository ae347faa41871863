// Package cloud is NPC Studio's side of the team's AWS deployment (see CLOUD.md): credentials
// from the standard AWS chain and who the writer is signed in as; the saved deployments and
// their discovery (CloudFormation outputs, SSM parameters, the bucket naming rule); and pushes
// of lore and datasets to the buckets that start the hydration and tuning pipelines, with
// their upload history; and the runs those pushes start (hydration processing jobs, tuning
// pipeline executions and their steps), matched to the push that started each; and the model
// versions those runs register in <W>-PackageGroup, with their evidence (evaluation report,
// customization job and its loss curves, provisioned throughput), approved or rejected with
// an audit log, and the deployment pipeline an approval starts.
//
// # Storage
//
// Buckets (values are JSON with "v": 1 unless noted):
//
//	cloud_deployments  <name>        -> Deployment: workload, stage, region, profile, the
//	                                    account last found; never credentials
//	cloud_state        current       -> the current deployment's name (plain string)
//	cloud_uploads      <uploadID>    -> Upload: one push. While "uploading": the staged file,
//	                                    part size, S3 upload id and the parts S3 acknowledged
//	                                    (number, ETag, SHA-256); once "done": what, where,
//	                                    when, by whom (STS ARN), version id, checksum, and the
//	                                    run it started once matched; "abandoned" when the
//	                                    writer gave it up (S3 dropped its parts)
//
// Upload and decision ids are the UTC start time and four random bytes ("20260105T101500.123456789Z-1a2b3c4d"), so
// the history sorts by time. Staged files live beside the database, under
// <dataDir>/cloud/staging/<uploadID>.<ext>, until their upload is done or abandoned; those of
// plans never pushed are removed after a day.
//
// # Pushes
//
// A push is staged first: the payload (a combined lore .txt, or a validated dataset exported
// in its base model's format) is written atomically with its SHA-256, so a full disk leaves
// nothing behind and nothing is sent. Content already pushed to the same target (the same
// bucket and key for lore; the tuning bucket for datasets, whose keys are fresh per push) is
// refused unless forced. The upload is recorded before the first byte is sent; every part S3
// acknowledges is recorded as it completes (the parts finished during one save share the next),
// so a killed or cancelled push resumes with the parts not yet recorded. Each part is read
// once to hash it; its SHA-256 goes as the part's checksum and as the signed payload hash, and
// S3 checks both. The object's composite checksum is compared with the parts'. An unfinished multipart upload creates no
// object, so it triggers nothing.
package cloud
