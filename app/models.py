"""Imports every model module so that Base.metadata knows every table
(used by Alembic and by the tests)."""

from app.accounts.models import (  # noqa: F401
    LoginSession,
    LoginThrottle,
    Membership,
    Organisation,
    Person,
    ToTellItem,
)
from app.consultations.curation_models import Quote, QuotesReady  # noqa: F401
from app.consultations.models import (  # noqa: F401
    Answer,
    AnswerChoice,
    Choice,
    Comment,
    Confusion,
    ConsultationRound,
    Evaluation,
    FeedbackItem,
    FeedbackUpdate,
    Invitation,
    Question,
    Response,
)
from app.consultations.own_pictogram_models import OwnPictogram  # noqa: F401
from app.core.models import AuditEntry, JobRun, Notification, OutboxMessage  # noqa: F401
from app.db import Base
from app.expenses.earnings_models import EarningsThreshold  # noqa: F401
from app.expenses.finance_models import FinanceAccount, LedgerAccount  # noqa: F401
from app.expenses.models import (  # noqa: F401
    BankDetails,
    ExpenseLine,
    ExpenseRequest,
    ExpenseSettings,
    Receipt,
)
from app.expenses.payment_models import ExpensePayee, PaymentPreference  # noqa: F401
from app.falc.models import GlossaryEntry  # noqa: F401

# falc proofreading
from app.falc.proofreading_models import (  # noqa: F401
    Proofreader,
    Proofreading,
    ProofreadingAssignment,
    SentenceMark,
)
from app.kit.models import ChecklistTick, Fiche, FicheRevision  # noqa: F401
from app.moderation.models import (  # noqa: F401
    AuthorMeasure,
    ModerationAppeal,
    ModerationDecision,
    ModerationItem,
    ModerationReport,
    ModerationSettings,
    ReasonTemplate,
)
from app.trainings.models import (  # noqa: F401
    Attendance,
    CoTrainerProfile,
    Mission,
    MissionFeedback,
    MissionSession,
    Signup,
)

metadata = Base.metadata
