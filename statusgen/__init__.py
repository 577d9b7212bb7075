"""statusgen: a static status-page generator fed by Markdown incident updates."""

__version__ = "0.1.0"
