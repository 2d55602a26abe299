"""Signed webhooks: staff-managed endpoints that are told, by the task worker, when stories and
media change (Standard Webhooks signatures, retries with backoff, in order per endpoint).

The core never imports this app: actions `changes.emit(...)` events, which `webhooks.outbox`
records inside the action's transaction; `webhooks.tasks` then fans them out and sends them.
"""
