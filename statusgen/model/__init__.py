"""The domain model: records (records.py, what the files say) and the site as of `now`
(site.py, the one step that stamps the time and derives statuses, spans, bars and months).

No I/O anywhere in it; source/ makes the records, render/ reads the Site.
"""

from .records import (Channel, Component, ComponentGroup, IncidentRecord, MaintenanceRecord, MaintenanceUpdate,
                      NotifyFilter, SiteConfig, Update, compact_stamp, iso_utc, worst)
from .site import (DayBar, Incident, Maintenance, Month, Site, StatusSpan, build_site, daily_bars,
                   local_day_bounds, months_of, status_spans)

__all__ = [
    "Channel", "Component", "ComponentGroup", "DayBar", "Incident", "IncidentRecord", "Maintenance", "MaintenanceRecord",
    "MaintenanceUpdate", "Month", "NotifyFilter", "Site", "SiteConfig", "StatusSpan", "Update", "build_site", "compact_stamp",
    "daily_bars", "iso_utc", "local_day_bounds", "months_of", "status_spans", "worst",
]
