"""The platform's one error hierarchy; every message says what to do next."""


class InterviewPlatformError(Exception):
    """Base exception for all platform errors."""


class ConfigurationError(InterviewPlatformError):
    """Raised when configuration is missing or invalid."""


class ValidationError(InterviewPlatformError):
    """Raised when input from a user or a caller is invalid."""


class NotFoundError(ValidationError):
    """Raised when a referenced record (session, resume, file) does not exist."""


class InvalidTransitionError(ValidationError):
    """Raised when a session is asked to move to a state it cannot reach."""


class CommunicationError(InterviewPlatformError):
    """Raised when a communication mode or media file operation fails."""


class AIProviderError(InterviewPlatformError):
    """Raised when an AI provider encounters an error."""


class DataStoreError(InterviewPlatformError):
    """Raised when database operations fail."""


class ServerBusyError(InterviewPlatformError):
    """Raised when more work waits for the server's workers than it accepts, or it is stopping."""


class StorageUnavailableError(DataStoreError):
    """Raised when the database cannot be reached; the same call may work in a moment."""


class StorageFullError(DataStoreError):
    """Raised when the disk holding the database or the media files is full: nothing was
    written, and trying again helps only once space is freed."""


class AnswerNotSavedError(DataStoreError):
    """Raised when a candidate's answer could not be saved: none of it was written, so the
    same text can be sent again."""


class SignInError(InterviewPlatformError):
    """Raised when a name and password do not match an account; the message never says which."""


class AccountExistsError(ValidationError):
    """Raised when an account is created under a name that already has one."""


class FileTooDemandingError(ValidationError):
    """Raised when an uploaded file would take more time, memory or pixels to read than the
    server allows (a PDF or PNG bomb, or merely an unusual export); the message says what to
    upload instead."""


class AnswerTooLongError(AnswerNotSavedError, ValidationError):
    """Raised when an answer is over the length limit: none of it was written, and the
    message gives the limit, so the text can be shortened or split and sent again."""
