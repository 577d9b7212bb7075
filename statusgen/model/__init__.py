"""The domain model: records (records.py, what the files say) and the site as of `now`
(site.py, the one step that stamps the time and derives statuses, spans, bars and months, with
uptime.py's percentages).

No I/O anywhere in it; source/ makes the records, render/ reads the Site.
"""

from .records import (ActionItem, AlertRule, AlertTable, Channel, Component, ComponentGroup, IncidentRecord,
                      MaintenanceRecord, MaintenanceUpdate, NotifyFilter, Postmortem, SiteConfig, Update, UptimeRule,
                      compact_stamp, iso_utc, worst)
from .uptime import DayUptime, MonthUptime, Uptime, UptimeFigure
from .site import (DayBar, Incident, Maintenance, Month, Site, StatusSpan, build_site, daily_bars,
                   local_day_bounds, months_of, status_spans)

__all__ = [
    "ActionItem", "AlertRule", "AlertTable", "Channel", "Component", "ComponentGroup", "DayBar", "DayUptime",
    "MonthUptime", "Uptime", "UptimeFigure", "Incident", "IncidentRecord", "Maintenance", "MaintenanceRecord",
    "MaintenanceUpdate", "Month", "NotifyFilter", "Postmortem", "Site", "SiteConfig", "StatusSpan", "Update",
    "UptimeRule", "build_site", "compact_stamp",
    "daily_bars", "iso_utc", "local_day_bounds", "months_of", "status_spans", "worst",
]
