"""The outgoing mail queue (outbox), reminder rules, preferences."""
