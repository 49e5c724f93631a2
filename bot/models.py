"""Every module that defines tables, so that Alembic and the app see the whole schema.

Lower layers cannot import the channels' tables, so this list lives here, in the wiring:
bot/app.py imports it at start, and Alembic's autogenerate imports it by the name that
alembic.ini gives (`qamqor_models`), from storage/migrations/env.py."""

from booking import models as booking_models  # noqa: F401
from bot.channels.whatsapp import models as whatsapp_models  # noqa: F401
from bot.inbox import models as inbox_models  # noqa: F401
from contacts import models as contact_models  # noqa: F401
from delivery import models as delivery_models  # noqa: F401
from handoff import canned as canned_models  # noqa: F401
from handoff import models as handoff_models  # noqa: F401
from registry import models as registry_models  # noqa: F401
from reports import models as report_models  # noqa: F401
from staffweb import models as staff_models  # noqa: F401
from storage import models  # noqa: F401
