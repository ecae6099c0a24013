"""Every model of coordination, so Django finds them (app label ``coordination``; each is
defined in its sub-package): bodies, meetings and registrations (``meetings``), the document
register (``documents``), liaison statements (``liaison``), partners and activities
(``activities``), consultations with children and young people (``youth``), reports and the
secretariat's reading of each clause (``reports``). The deadline rule sets are in
``deadline_models.py``."""

from .activities.models import Activity as Activity
from .activities.models import Agreement as Agreement
from .activities.models import Partner as Partner
from .deadline_models import DeadlineRuleSet as DeadlineRuleSet
from .documents.models import Document as Document
from .documents.models import DocumentVersion as DocumentVersion
from .liaison.models import LiaisonStatement as LiaisonStatement
from .meetings.models import Body as Body
from .meetings.models import Meeting as Meeting
from .meetings.models import Registration as Registration
from .reports.models import ClauseProgress as ClauseProgress
from .reports.models import ClauseRecord as ClauseRecord
from .reports.models import CollectedRecord as CollectedRecord
from .reports.models import Report as Report
from .reports.models import SummaryState as SummaryState
from .youth.models import YouthConsultation as YouthConsultation
from .youth.models import YouthSubmission as YouthSubmission
