"""Small source files the tests share: one copy of each, so a change to the format changes one place.

Sites are written with conftest.write_site; these are the update files tests put in them.
"""

# A valid first update. Line numbers in the file:  1 ---, 2 at, 3 phase, 4 severity, 5 title,
# 6 components, 7 checkout, 8 next_update, 9 ---, 10 body.
GOOD_UPDATE = """\
---
at: 2026-11-20T09:30:00Z
phase: investigating
severity: sev2
title: Card payments failing
components:
  checkout: partial_outage
next_update: 2026-11-20T10:00:00Z
---
We're investigating failed card payments.
"""

# A valid maintenance announcement: 1 ---, 2 at, 3 phase, 4 title, 5 window, 6 start, 7 end,
# 8 components, 9 ---.
GOOD_MAINTENANCE = """\
---
at: 2026-11-20T09:00:00Z
phase: scheduled
title: Database upgrade
window:
  start: 2026-11-28T02:00:00Z
  end: 2026-11-28T03:00:00Z
components: [checkout]
---
Checkout may be unavailable for five minutes.
"""
