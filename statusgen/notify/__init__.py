"""`statusgen notify`'s parts: what is new since the last announcement (news.py, pure), the
messages (messages.py, pure), the previously published site (previous.py), the targets and
their filters (targets.py), what is still to deliver (pending.py) and delivery through apprise
(delivery.py, the only module that imports apprise, and only when it sends)."""
