"""Channel adapters: turn a messenger's updates into Incoming and render Replies; no business rules."""


class ChannelStartError(Exception):
    """A channel cannot start (bad token, server unreachable, …); the message is one line without secrets."""
