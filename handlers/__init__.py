"""User-facing features, one module each; channel-agnostic (no messenger library is imported here)."""
