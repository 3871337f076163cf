"""The outbox: every email the product sends, queued with the change that causes it."""
