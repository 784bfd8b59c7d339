import logging

__all__ = ['LogRecorder']


class LogRecorder(logging.Handler):
    """Keeps the messages of the logger it is added to; ``text`` joins
    them. MMEngine's loggers do not propagate to pytest's ``caplog``, so a
    test adds one to ``MMLogger.get_current_instance()``."""

    def __init__(self) -> None:
        super().__init__()
        self.messages = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    @property
    def text(self) -> str:
        return '\n'.join(self.messages)
