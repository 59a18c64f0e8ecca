"""Imports every model so that metadata (and Alembic's autogenerate) sees the whole schema."""
from coaching.accounts.models import Role, User  # noqa: F401
from coaching.attendance.models import Attendance, Certificate, SessionDocument  # noqa: F401
from coaching.audit.models import AuditEntry  # noqa: F401
from coaching.cohorts.models import Cohort, Enrolment  # noqa: F401
from coaching.mail.models import AddressSuppression, OutboxMessage, WorkerHeartbeat  # noqa: F401
from coaching.materials.models import Material, MaterialFile, SessionMaterial  # noqa: F401
from coaching.mentoring.models import MeetingOption, MentoringMeeting, MentorProfile, Pairing  # noqa: F401
from coaching.organisations.models import Council, Organisation, Region  # noqa: F401
from coaching.people.models import ConsentRecord, Person  # noqa: F401
from coaching.programmes.models import NotificationRule, Programme  # noqa: F401
from coaching.scheduling.models import CoachingSession, SessionChange  # noqa: F401
