"""From a monitoring system's alert to a draft first update (`statusgen new incident --from-alert`).

Each source has its own pure parser (a parsed JSON document or text in, `Alert` records or
`Problem`s out): alertmanager.py, grafana.py, uptime_kuma.py, gatus.py, upptime.py. formats.py
reads the payload (bounded, UTF-8), recognises its format and hands it to the right parser;
mapping.py applies statusgen.yml's `alerts:` table to the records. Nothing here writes a file:
commands/from_alert.py does, through `statusgen new incident`.
"""
