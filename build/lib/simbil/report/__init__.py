"""What a person looks at: contact sheets and summary tables."""

from .sheets import contact_sheet, crop_around, overlay_mask
from .tables import METRIC_LABELS, summary

__all__ = ["contact_sheet", "crop_around", "overlay_mask", "summary", "METRIC_LABELS"]
