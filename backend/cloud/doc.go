// Package cloud is NPC Studio's side of the team's AWS deployment: credentials from the
// standard AWS chain, who the writer is signed in as, and (as the cloud features land)
// discovery, pushes, pipeline status and approvals.
package cloud
