"""kickcoach: a coaching assistant for peer mentoring, offline by default."""

__version__ = "0.1.0"
