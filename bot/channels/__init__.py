"""Channel adapters: turn a messenger's updates into Incoming and render Replies; no business rules."""
