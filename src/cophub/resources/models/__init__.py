from .dissemination import DisseminationEvent
from .downloads import DownloadCount, ResourceDownload, ResourceDownloadFile
from .pages import CourseModulePage, HubPage, ResourcePage
from .taxonomy import Audience, Licence, RiskTopic
from .tracking import ContentHold, ItemTranslation, TrackedItem

__all__ = [
    "Audience",
    "ContentHold",
    "CourseModulePage",
    "DisseminationEvent",
    "DownloadCount",
    "HubPage",
    "ItemTranslation",
    "Licence",
    "ResourceDownload",
    "ResourceDownloadFile",
    "ResourcePage",
    "RiskTopic",
    "TrackedItem",
]
