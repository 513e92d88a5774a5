"""A quiet logger for the command line: the assets' own messages, none of Dagster's events."""

import logging
import sys

import dagster as dg


class _UserMessagesOnly(logging.Filter):
    """Keep what the assets said; drop Dagster's own events (the runner reports failures)."""

    def filter(self, record: logging.LogRecord) -> bool:
        meta = getattr(record, "dagster_meta", None) or {}
        if meta.get("dagster_event") is not None:
            return False
        message = str(meta.get("orig_message", record.getMessage()))
        # The engine's own notes on skipped steps: the runner reports why a run failed.
        if message.startswith("Dependencies for step"):
            return False
        record.msg, record.args = message, ()
        return True


@dg.logger(
    config_schema={"log_level": dg.Field(str, default_value="INFO")},
    description="Prints the assets' progress messages, one line each, without Dagster's events.",
)
def progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.getLogger("csc_kpis.progress")
    logger.setLevel(init_context.logger_config["log_level"])
    logger.propagate = False
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("  %(message)s"))
        handler.addFilter(_UserMessagesOnly())
        logger.addHandler(handler)
    return logger


@dg.definitions
def loggers() -> dg.Definitions:
    return dg.Definitions(
        loggers={"progress": progress_logger, "console": dg.colored_console_logger}
    )
