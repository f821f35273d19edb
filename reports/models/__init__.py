"""The reports app's models (DESIGN.md, "reports/"): one module per part."""

from reports.models.base import FileFormat, MadeInBackground
from reports.models.exports import ListExport
from reports.models.programme import ReportFile
from reports.models.province import ProvinceExport
from reports.models.scenarios import Scenario

__all__ = ["FileFormat", "ListExport", "MadeInBackground", "ProvinceExport", "ReportFile", "Scenario"]
