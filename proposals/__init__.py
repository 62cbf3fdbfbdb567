"""Go-live proposals: submission, decision, readiness, go-live, review."""
