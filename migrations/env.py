"""Alembic environment for Flask-Migrate: the app's engine and metadata drive every migration."""
from __future__ import annotations

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from coaching.core.db import UTCDateTime

config = context.config

# The test suite runs migrations in-process: reconfiguring logging there would silence other tests' loggers.
if config.config_file_name is not None and not current_app.testing:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def get_engine():
    return target_db.engine


_url = get_engine().url.render_as_string(hide_password=False)
config.set_main_option("sqlalchemy.url", _url.replace("%", "%%"))


def render_item(type_, obj, autogen_context):
    """Write app column types as the plain types they store, so migration files never import app code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def configure_args() -> dict:
    args = dict(current_app.extensions["migrate"].configure_args)
    args.setdefault("render_item", render_item)
    return args


def run_migrations_offline() -> None:
    """Print the SQL instead of running it (`flask db upgrade --sql`)."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_db.metadata,
        literal_binds=True,
        **configure_args(),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def process_revision_directives(context, revision, directives):
        # `flask db migrate` with no model change writes no empty revision.
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    args = configure_args()
    args.setdefault("process_revision_directives", process_revision_directives)
    with get_engine().connect() as connection:
        context.configure(connection=connection, target_metadata=target_db.metadata, **args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
