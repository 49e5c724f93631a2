"""Imports every module that defines tables, so Alembic and tests see the whole schema."""

from booking import models as booking_models  # noqa: F401
from bot.channels.whatsapp import models as whatsapp_models  # noqa: F401
from bot.inbox import models as inbox_models  # noqa: F401
from handoff import models as handoff_models  # noqa: F401
from registry import models as registry_models  # noqa: F401
from staffweb import models as staff_models  # noqa: F401
from storage import models  # noqa: F401
